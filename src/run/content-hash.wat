;; xxHash64 (seed 0) of a run of bytes in memory, for content-hash.ts. The algorithm and its constants
;; are xxHash's published specification; test/content-hash.test.ts checks its published test values.
;;
;; The four lanes' rounds are written out in the stripe loop rather than called: V8 does not inline
;; WebAssembly calls here, and with the calls the loop ran at ~2.8 GB/s, without them at ~8 GB/s.
(module
  (memory (export "memory") 1)
  (global $P1 i64 (i64.const 0x9E3779B185EBCA87))
  (global $P2 i64 (i64.const 0xC2B2AE3D27D4EB4F))
  (global $P3 i64 (i64.const 0x165667B19E3779F9))
  (global $P4 i64 (i64.const 0x85EBCA77C2B2AE63))
  (global $P5 i64 (i64.const 0x27D4EB2F165667C5))

  ;; One lane's round: the accumulator takes in 8 bytes.
  (func $round (param $acc i64) (param $lane i64) (result i64)
    (i64.mul (i64.rotl (i64.add (local.get $acc) (i64.mul (local.get $lane) (global.get $P2))) (i64.const 31)) (global.get $P1)))

  ;; A lane's accumulator folded into the hash after the stripes.
  (func $merge (param $hash i64) (param $acc i64) (result i64)
    (i64.add (i64.mul (i64.xor (local.get $hash) (call $round (i64.const 0) (local.get $acc))) (global.get $P1)) (global.get $P4)))

  ;; Hashes $length bytes from $at and stores the 64-bit hash (little-endian) at $out.
  (func (export "xxh64") (param $at i32) (param $length i32) (param $out i32)
    (local $end i32) (local $lastStripe i32) (local $hash i64)
    (local $v1 i64) (local $v2 i64) (local $v3 i64) (local $v4 i64)
    (local.set $end (i32.add (local.get $at) (local.get $length)))
    (if (i32.ge_u (local.get $length) (i32.const 32))
      (then
        (local.set $lastStripe (i32.sub (local.get $end) (i32.const 32)))
        (local.set $v1 (i64.add (global.get $P1) (global.get $P2)))
        (local.set $v2 (global.get $P2))
        (local.set $v3 (i64.const 0))
        (local.set $v4 (i64.sub (i64.const 0) (global.get $P1)))
        ;; 32 bytes a stripe, 8 to each lane.
        (loop $stripe
          (local.set $v1 (i64.mul (i64.rotl (i64.add (local.get $v1)
            (i64.mul (i64.load (local.get $at)) (global.get $P2))) (i64.const 31)) (global.get $P1)))
          (local.set $v2 (i64.mul (i64.rotl (i64.add (local.get $v2)
            (i64.mul (i64.load offset=8 (local.get $at)) (global.get $P2))) (i64.const 31)) (global.get $P1)))
          (local.set $v3 (i64.mul (i64.rotl (i64.add (local.get $v3)
            (i64.mul (i64.load offset=16 (local.get $at)) (global.get $P2))) (i64.const 31)) (global.get $P1)))
          (local.set $v4 (i64.mul (i64.rotl (i64.add (local.get $v4)
            (i64.mul (i64.load offset=24 (local.get $at)) (global.get $P2))) (i64.const 31)) (global.get $P1)))
          (local.set $at (i32.add (local.get $at) (i32.const 32)))
          (br_if $stripe (i32.le_u (local.get $at) (local.get $lastStripe))))
        (local.set $hash
          (i64.add
            (i64.add (i64.rotl (local.get $v1) (i64.const 1)) (i64.rotl (local.get $v2) (i64.const 7)))
            (i64.add (i64.rotl (local.get $v3) (i64.const 12)) (i64.rotl (local.get $v4) (i64.const 18)))))
        (local.set $hash (call $merge (local.get $hash) (local.get $v1)))
        (local.set $hash (call $merge (local.get $hash) (local.get $v2)))
        (local.set $hash (call $merge (local.get $hash) (local.get $v3)))
        (local.set $hash (call $merge (local.get $hash) (local.get $v4))))
      (else (local.set $hash (global.get $P5))))
    (local.set $hash (i64.add (local.get $hash) (i64.extend_i32_u (local.get $length))))
    ;; The bytes after the last stripe: 8 at a time, then 4, then one by one.
    (block $eightsDone
      (loop $eights
        (br_if $eightsDone (i32.gt_u (i32.add (local.get $at) (i32.const 8)) (local.get $end)))
        (local.set $hash
          (i64.add
            (i64.mul
              (i64.rotl (i64.xor (local.get $hash) (call $round (i64.const 0) (i64.load (local.get $at)))) (i64.const 27))
              (global.get $P1))
            (global.get $P4)))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (br $eights)))
    (if (i32.le_u (i32.add (local.get $at) (i32.const 4)) (local.get $end))
      (then
        (local.set $hash
          (i64.add
            (i64.mul
              (i64.rotl (i64.xor (local.get $hash) (i64.mul (i64.load32_u (local.get $at)) (global.get $P1))) (i64.const 23))
              (global.get $P2))
            (global.get $P3)))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))))
    (block $onesDone
      (loop $ones
        (br_if $onesDone (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $hash
          (i64.mul
            (i64.rotl (i64.xor (local.get $hash) (i64.mul (i64.load8_u (local.get $at)) (global.get $P5))) (i64.const 11))
            (global.get $P1)))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $ones)))
    ;; The final avalanche.
    (local.set $hash (i64.mul (i64.xor (local.get $hash) (i64.shr_u (local.get $hash) (i64.const 33))) (global.get $P2)))
    (local.set $hash (i64.mul (i64.xor (local.get $hash) (i64.shr_u (local.get $hash) (i64.const 29))) (global.get $P3)))
    (i64.store (local.get $out) (i64.xor (local.get $hash) (i64.shr_u (local.get $hash) (i64.const 32))))))
