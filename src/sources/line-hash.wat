;; The lines of a run of bytes in memory, each hashed, for line-diff.ts: a line ends at "\n" (left out
;; of its hash) or at the end of the bytes. A line's hash depends on its bytes alone: from its start,
;; 8 bytes at a time while no "\n" is among them (found with the word-at-a-time zero-byte test), then
;; byte by byte; the 64-bit state is folded to 32 bits with the line's length mixed in. Byte by byte
;; throughout, the loop ran at a third of the speed.
(module
  (memory (export "memory") 1)
  (global $PRIME i64 (i64.const 0x100000001b3))
  (global $BASIS i64 (i64.const 0xcbf29ce484222325))
  (global $NEWLINES i64 (i64.const 0x0a0a0a0a0a0a0a0a))
  (global $ONES i64 (i64.const 0x0101010101010101))
  (global $HIGHS i64 (i64.const 0x8080808080808080))

  ;; Hashes the lines of $length bytes from $at: line i's hash goes to $hashes + 4i and its start (an
  ;; offset from $at) to $starts + 4i. Returns the number of lines.
  (func (export "lines") (param $at i32) (param $length i32) (param $hashes i32) (param $starts i32) (result i32)
    (local $end i32) (local $p i32) (local $start i32) (local $hash i64) (local $word i64) (local $x i64) (local $byte i32) (local $count i32)
    (local.set $end (i32.add (local.get $at) (local.get $length)))
    (local.set $p (local.get $at))
    (local.set $start (local.get $at))
    (local.set $hash (global.get $BASIS))
    (block $done
      (loop $next
        ;; Whole words while they hold no "\n".
        (block $bytes
          (loop $words
            (br_if $bytes (i32.gt_u (i32.add (local.get $p) (i32.const 8)) (local.get $end)))
            (local.set $word (i64.load (local.get $p)))
            (local.set $x (i64.xor (local.get $word) (global.get $NEWLINES)))
            (br_if $bytes (i64.ne (i64.and (i64.and (i64.sub (local.get $x) (global.get $ONES)) (i64.xor (local.get $x) (i64.const -1))) (global.get $HIGHS)) (i64.const 0)))
            (local.set $hash (i64.mul (i64.xor (local.get $hash) (local.get $word)) (global.get $PRIME)))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $words)))
        ;; Then bytes, up to the line's end.
        (loop $each
          (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
          (local.set $byte (i32.load8_u (local.get $p)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (if (i32.eq (local.get $byte) (i32.const 10))
            (then
              (call $emit (local.get $hashes) (local.get $starts) (local.get $count) (local.get $hash)
                (i32.sub (local.get $start) (local.get $at)) (i32.sub (i32.sub (local.get $p) (i32.const 1)) (local.get $start)))
              (local.set $count (i32.add (local.get $count) (i32.const 1)))
              (local.set $hash (global.get $BASIS))
              (local.set $start (local.get $p))
              (br $next)))
          (local.set $hash (i64.mul (i64.xor (local.get $hash) (i64.extend_i32_u (local.get $byte))) (global.get $PRIME)))
          (br $each))))
    ;; A last line without "\n".
    (if (i32.lt_u (local.get $start) (local.get $end))
      (then
        (call $emit (local.get $hashes) (local.get $starts) (local.get $count) (local.get $hash)
          (i32.sub (local.get $start) (local.get $at)) (i32.sub (local.get $end) (local.get $start)))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))))
    (local.get $count))

  ;; Stores line $line's hash (its state folded to 32 bits, with its length mixed in) and its start.
  (func $emit (param $hashes i32) (param $starts i32) (param $line i32) (param $hash i64) (param $start i32) (param $length i32)
    (local $folded i64)
    (local.set $folded (i64.mul (i64.xor (local.get $hash) (i64.extend_i32_u (local.get $length))) (global.get $PRIME)))
    (i32.store (i32.add (local.get $hashes) (i32.shl (local.get $line) (i32.const 2)))
      (i32.wrap_i64 (i64.xor (local.get $folded) (i64.shr_u (local.get $folded) (i64.const 32)))))
    (i32.store (i32.add (local.get $starts) (i32.shl (local.get $line) (i32.const 2))) (local.get $start)))
)
