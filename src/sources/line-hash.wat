;; The lines of a run of bytes in memory, each hashed, for line-diff.ts: a line ends at "\n" (left out
;; of its hash) or at the end of the bytes. A line's hash depends on its bytes alone: its bytes are
;; taken 8 at a time from its start, the last word cut at the line's end (the bytes beyond it
;; zeroed), and the 64-bit state is folded to 32 bits with the line's length mixed in.
;;
;; Each step loads a whole word and finds the first "\n" in it with the word-at-a-time zero-byte test,
;; so no byte is looked at alone: a line costs about one step per 8 of its bytes (a byte-by-byte tail,
;; and a call a line to store its hash, each cost a good part of the time). The last word of the
;; bytes is read past their end; the caller leaves 8 bytes of room there, and what they hold is masked.
(module
  (memory (export "memory") 1)
  (global $PRIME i64 (i64.const 0x100000001b3))
  (global $BASIS i64 (i64.const 0xcbf29ce484222325))
  (global $NEWLINES i64 (i64.const 0x0a0a0a0a0a0a0a0a))
  (global $ONES i64 (i64.const 0x0101010101010101))
  (global $HIGHS i64 (i64.const 0x8080808080808080))

  ;; Hashes the lines of $length bytes from $at: line i's hash goes to $hashes + 4i and its start (an
  ;; offset from $at) to $starts + 4i. Returns the number of lines. Memory must hold 8 bytes past the end.
  (func (export "lines") (param $at i32) (param $length i32) (param $hashes i32) (param $starts i32) (result i32)
    (local $end i32) (local $p i32) (local $start i32) (local $left i32) (local $cut i32) (local $count i32)
    (local $hash i64) (local $folded i64) (local $word i64) (local $x i64) (local $found i64)
    (local.set $end (i32.add (local.get $at) (local.get $length)))
    (local.set $p (local.get $at))
    (local.set $start (local.get $at))
    (local.set $hash (global.get $BASIS))
    (block $done
      (loop $next
        (local.set $word (i64.load (local.get $p)))
        ;; A high bit set in each byte of $found that is "\n" (the lowest one exactly; those above it
        ;; may be false, and are never used), and at the byte where the bytes end if that is in this word.
        (local.set $x (i64.xor (local.get $word) (global.get $NEWLINES)))
        (local.set $found (i64.and (i64.and (i64.sub (local.get $x) (global.get $ONES)) (i64.xor (local.get $x) (i64.const -1))) (global.get $HIGHS)))
        (local.set $left (i32.sub (local.get $end) (local.get $p)))
        (if (i32.lt_u (local.get $left) (i32.const 8))
          (then (local.set $found (i64.or (local.get $found) (i64.shl (i64.const 0x80) (i64.extend_i32_u (i32.shl (local.get $left) (i32.const 3))))))))
        ;; No line ends in this word: all of it is the line's.
        (if (i64.eqz (local.get $found))
          (then
            (local.set $hash (i64.mul (i64.xor (local.get $hash) (local.get $word)) (global.get $PRIME)))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $next)))
        ;; The line ends $cut bytes into the word: those bytes are the last of it.
        (local.set $cut (i32.wrap_i64 (i64.shr_u (i64.ctz (local.get $found)) (i64.const 3))))
        (if (local.get $cut)
          (then
            (local.set $hash
              (i64.mul
                (i64.xor (local.get $hash)
                  (i64.and (local.get $word) (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (i32.shl (local.get $cut) (i32.const 3)))) (i64.const 1))))
                (global.get $PRIME)))))
        (local.set $p (i32.add (local.get $p) (local.get $cut)))
        ;; At the end of the bytes, a last line without "\n" counts if it has any bytes.
        (br_if $done (i32.and (i32.ge_u (local.get $p) (local.get $end)) (i32.ge_u (local.get $start) (local.get $end))))
        ;; The line ends at $p: its hash, folded to 32 bits with its length mixed in, and its start.
        (local.set $folded
          (i64.mul (i64.xor (local.get $hash) (i64.extend_i32_u (i32.sub (local.get $p) (local.get $start)))) (global.get $PRIME)))
        (i32.store (i32.add (local.get $hashes) (i32.shl (local.get $count) (i32.const 2)))
          (i32.wrap_i64 (i64.xor (local.get $folded) (i64.shr_u (local.get $folded) (i64.const 32)))))
        (i32.store (i32.add (local.get $starts) (i32.shl (local.get $count) (i32.const 2))) (i32.sub (local.get $start) (local.get $at)))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        ;; A "\n" at $p: the next line starts after it.
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $start (local.get $p))
        (local.set $hash (global.get $BASIS))
        (br $next)))
    (local.get $count))

)
