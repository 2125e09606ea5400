;; The rounds of a PKCS#12 key derivation (pkcs12.ts) after its first, under SHA-256: the digest hashed
;; again, `count` times. A Java key store asks for 10,000 of them a password tried, and node's one-call
;; hash costs a crossing into C++ for each; here the whole chain runs in one call.
;;
;; SHA-256 as FIPS 180-4 gives it, for the one message this needs: a 32-byte digest, which pads to one
;; 64-byte block (the digest, a 1 bit, zeros, and its length in bits, 256). Words are kept as numbers,
;; not bytes: the caller writes and reads the digest's eight words at 512 as big-endian values.
(module
  (memory (export "memory") 1)
  ;; 0 to 255: the round constants K, the first 32 bits of the fractional parts of the cube roots of the
  ;; first 64 primes. 256 to 511: the message schedule W. 512 to 543: the digest.
  (data (i32.const 0)
    "\98\2f\8a\42\91\44\37\71\cf\fb\c0\b5\a5\db\b5\e9\5b\c2\56\39\f1\11\f1\59\a4\82\3f\92\d5\5e\1c\ab\98\aa\07\d8\01\5b\83\12\be\85\31\24\c3\7d\0c\55\74\5d\be\72\fe\b1\de\80\a7\06\dc\9b\74\f1\9b\c1"
    "\c1\69\9b\e4\86\47\be\ef\c6\9d\c1\0f\cc\a1\0c\24\6f\2c\e9\2d\aa\84\74\4a\dc\a9\b0\5c\da\88\f9\76\52\51\3e\98\6d\c6\31\a8\c8\27\03\b0\c7\7f\59\bf\f3\0b\e0\c6\47\91\a7\d5\51\63\ca\06\67\29\29\14"
    "\85\0a\b7\27\38\21\1b\2e\fc\6d\2c\4d\13\0d\38\53\54\73\0a\65\bb\0a\6a\76\2e\c9\c2\81\85\2c\72\92\a1\e8\bf\a2\4b\66\1a\a8\70\8b\4b\c2\a3\51\6c\c7\19\e8\92\d1\24\06\99\d6\85\35\0e\f4\70\a0\6a\10"
    "\16\c1\a4\19\08\6c\37\1e\4c\77\48\27\b5\bc\b0\34\b3\0c\1c\39\4a\aa\d8\4e\4f\ca\9c\5b\f3\6f\2e\68\ee\82\8f\74\6f\63\a5\78\14\78\c8\84\08\02\c7\8c\fa\ff\be\90\eb\6c\50\a4\f7\a3\f9\be\f2\78\71\c6")

  (func (export "rounds") (param $count i32)
    (local $t i32) (local $w i32) (local $x i32) (local $y i32)
    (local $t1 i32) (local $t2 i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local $e i32) (local $f i32) (local $g i32) (local $h i32)
    (block $done
      (loop $round
        (br_if $done (i32.eqz (local.get $count)))
        ;; The block: W[0..7] the digest, W[8] the 1 bit, W[9..14] zeros, W[15] the length in bits.
        (local.set $t (i32.const 0))
        (loop $copy
          (i32.store (i32.add (i32.const 256) (local.get $t)) (i32.load (i32.add (i32.const 512) (local.get $t))))
          (local.set $t (i32.add (local.get $t) (i32.const 4)))
          (br_if $copy (i32.lt_u (local.get $t) (i32.const 32))))
        (i32.store (i32.const 288) (i32.const 0x80000000))
        (local.set $t (i32.const 292))
        (loop $zero
          (i32.store (local.get $t) (i32.const 0))
          (local.set $t (i32.add (local.get $t) (i32.const 4)))
          (br_if $zero (i32.lt_u (local.get $t) (i32.const 316))))
        (i32.store (i32.const 316) (i32.const 256))
        ;; The schedule: W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], for t from 16 to 63.
        (local.set $t (i32.const 320))
        (loop $schedule
          (local.set $x (i32.load (i32.sub (local.get $t) (i32.const 8))))
          (local.set $y (i32.load (i32.sub (local.get $t) (i32.const 60))))
          (i32.store (local.get $t)
            (i32.add
              (i32.add
                (i32.xor (i32.xor (i32.rotr (local.get $x) (i32.const 17)) (i32.rotr (local.get $x) (i32.const 19))) (i32.shr_u (local.get $x) (i32.const 10)))
                (i32.load (i32.sub (local.get $t) (i32.const 28))))
              (i32.add
                (i32.xor (i32.xor (i32.rotr (local.get $y) (i32.const 7)) (i32.rotr (local.get $y) (i32.const 18))) (i32.shr_u (local.get $y) (i32.const 3)))
                (i32.load (i32.sub (local.get $t) (i32.const 64))))))
          (local.set $t (i32.add (local.get $t) (i32.const 4)))
          (br_if $schedule (i32.lt_u (local.get $t) (i32.const 512))))
        ;; The compression, from the initial hash value (a single-block message).
        (local.set $a (i32.const 0x6a09e667))
        (local.set $b (i32.const 0xbb67ae85))
        (local.set $c (i32.const 0x3c6ef372))
        (local.set $d (i32.const 0xa54ff53a))
        (local.set $e (i32.const 0x510e527f))
        (local.set $f (i32.const 0x9b05688c))
        (local.set $g (i32.const 0x1f83d9ab))
        (local.set $h (i32.const 0x5be0cd19))
        (local.set $t (i32.const 0))
        (loop $compress
          (local.set $w (i32.add (i32.load (local.get $t)) (i32.load (i32.add (i32.const 256) (local.get $t)))))
          ;; T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]
          (local.set $t1
            (i32.add
              (i32.add (local.get $h) (local.get $w))
              (i32.add
                (i32.xor (i32.xor (i32.rotr (local.get $e) (i32.const 6)) (i32.rotr (local.get $e) (i32.const 11))) (i32.rotr (local.get $e) (i32.const 25)))
                (i32.xor (i32.and (local.get $e) (local.get $f)) (i32.and (i32.xor (local.get $e) (i32.const -1)) (local.get $g))))))
          ;; T2 = Σ0(a) + Maj(a, b, c)
          (local.set $t2
            (i32.add
              (i32.xor (i32.xor (i32.rotr (local.get $a) (i32.const 2)) (i32.rotr (local.get $a) (i32.const 13))) (i32.rotr (local.get $a) (i32.const 22)))
              (i32.xor (i32.xor (i32.and (local.get $a) (local.get $b)) (i32.and (local.get $a) (local.get $c))) (i32.and (local.get $b) (local.get $c)))))
          (local.set $h (local.get $g))
          (local.set $g (local.get $f))
          (local.set $f (local.get $e))
          (local.set $e (i32.add (local.get $d) (local.get $t1)))
          (local.set $d (local.get $c))
          (local.set $c (local.get $b))
          (local.set $b (local.get $a))
          (local.set $a (i32.add (local.get $t1) (local.get $t2)))
          (local.set $t (i32.add (local.get $t) (i32.const 4)))
          (br_if $compress (i32.lt_u (local.get $t) (i32.const 256))))
        (i32.store (i32.const 512) (i32.add (local.get $a) (i32.const 0x6a09e667)))
        (i32.store (i32.const 516) (i32.add (local.get $b) (i32.const 0xbb67ae85)))
        (i32.store (i32.const 520) (i32.add (local.get $c) (i32.const 0x3c6ef372)))
        (i32.store (i32.const 524) (i32.add (local.get $d) (i32.const 0xa54ff53a)))
        (i32.store (i32.const 528) (i32.add (local.get $e) (i32.const 0x510e527f)))
        (i32.store (i32.const 532) (i32.add (local.get $f) (i32.const 0x9b05688c)))
        (i32.store (i32.const 536) (i32.add (local.get $g) (i32.const 0x1f83d9ab)))
        (i32.store (i32.const 540) (i32.add (local.get $h) (i32.const 0x5be0cd19)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $round)))))
