;; The keyword prefilter's hot loop; prefilter.ts holds the rest and explains the method.
;;
;; For each position of the input, the three bytes from there, each OR 0x20 (which lower-cases ASCII
;; letters, and folds a few other bytes onto a neighbour), are hashed to one of 131,072 slots. Where
;; the slot holds some keyword's three characters, the keywords of that slot whose three characters
;; these are are compared with the input there ($compare), and each that occurs is written out.
;;
;; One 8-byte load for six positions (it holds the three bytes of each; a 4-byte load a position
;; took ~10% more time) and no value carried from one position to the next: V8 runs this at ~0.9 GB/s
;; here, where the JavaScript loop it replaced (a rolling value, a table lookup a character to
;; lower-case it) ran at ~0.25 GB/s. The comparisons are here too: some twenty times more positions
;; pass the slot than hold a keyword, and handing each to JavaScript cost as much as the loop. They are a function of their own so that the loop keeps its few values in registers.
(module
  (import "prefilter" "memory" (memory 1))

  ;; Where the tables are (see $occurrences), set by $occurrences for $compare.
  (global $groups (mut i32) (i32.const 0))
  (global $entries (mut i32) (i32.const 0))
  (global $keywords (mut i32) (i32.const 0))
  (global $out (mut i32) (i32.const 0))

  ;; $input: $length bytes; positions $from to $to are looked at (a keyword may start before $from or
  ;; end after $to, within the input), and two bytes past $to must be readable.
  ;; $slots: one 16-bit number a slot: 0, or 1 + the number of its group.
  ;; $groups: 32-bit numbers, group g's entries being those from the g-th number up to the next
  ;; (counted in 32-bit numbers of $entries).
  ;; $entries: two 32-bit numbers an entry: its three folded bytes, then its keyword's number × 256
  ;; + where in the keyword those bytes are.
  ;; $keywords: two 32-bit numbers a keyword: where its bytes (lower-case ASCII) are, and its length.
  ;; $out: room for the occurrences, two 32-bit numbers each: where it starts, and the keyword's number.
  ;; Returns the number of occurrences written.
  (func (export "occurrences")
    (param $input i32) (param $length i32) (param $from i32) (param $to i32)
    (param $slots i32) (param $groups i32) (param $entries i32) (param $keywords i32) (param $out i32)
    (result i32)
    (local $at i32)
    (local $found i32)
    (local $three i32)
    (local $group i32)
    (local $eight i64)
    (global.set $groups (local.get $groups))
    (global.set $entries (local.get $entries))
    (global.set $keywords (local.get $keywords))
    (global.set $out (local.get $out))
    (local.set $at (local.get $from))
    ;; Six positions at a time, in order: the same test for each, its three bytes taken from the load.
    (block $sixesDone
      (loop $nextSix
        (br_if $sixesDone (i32.gt_s (i32.add (local.get $at) (i32.const 6)) (local.get $to)))
        (local.set $eight (i64.or (i64.load (i32.add (local.get $input) (local.get $at))) (i64.const 0x2020202020202020)))
        (local.set $three (i32.and (i32.wrap_i64 (local.get $eight)) (i32.const 0xffffff)))
        ;; The slot: the top 17 bits of the folded bytes times 0x9e3779b1, as slotOf computes it.
        (local.set $group
          (i32.load16_u
            (i32.add (local.get $slots)
              (i32.shl (i32.shr_u (i32.mul (local.get $three) (i32.const 0x9e3779b1)) (i32.const 15)) (i32.const 1)))))
        (if (local.get $group)
          (then
            (local.set $found
              (call $compare (local.get $input) (local.get $length) (local.get $at) (local.get $three) (local.get $group) (local.get $found)))))
        (local.set $three (i32.and (i32.wrap_i64 (i64.shr_u (local.get $eight) (i64.const 8))) (i32.const 0xffffff)))
        (local.set $group
          (i32.load16_u
            (i32.add (local.get $slots)
              (i32.shl (i32.shr_u (i32.mul (local.get $three) (i32.const 0x9e3779b1)) (i32.const 15)) (i32.const 1)))))
        (if (local.get $group)
          (then
            (local.set $found
              (call $compare (local.get $input) (local.get $length) (i32.add (local.get $at) (i32.const 1)) (local.get $three) (local.get $group) (local.get $found)))))
        (local.set $three (i32.and (i32.wrap_i64 (i64.shr_u (local.get $eight) (i64.const 16))) (i32.const 0xffffff)))
        (local.set $group
          (i32.load16_u
            (i32.add (local.get $slots)
              (i32.shl (i32.shr_u (i32.mul (local.get $three) (i32.const 0x9e3779b1)) (i32.const 15)) (i32.const 1)))))
        (if (local.get $group)
          (then
            (local.set $found
              (call $compare (local.get $input) (local.get $length) (i32.add (local.get $at) (i32.const 2)) (local.get $three) (local.get $group) (local.get $found)))))
        (local.set $three (i32.and (i32.wrap_i64 (i64.shr_u (local.get $eight) (i64.const 24))) (i32.const 0xffffff)))
        (local.set $group
          (i32.load16_u
            (i32.add (local.get $slots)
              (i32.shl (i32.shr_u (i32.mul (local.get $three) (i32.const 0x9e3779b1)) (i32.const 15)) (i32.const 1)))))
        (if (local.get $group)
          (then
            (local.set $found
              (call $compare (local.get $input) (local.get $length) (i32.add (local.get $at) (i32.const 3)) (local.get $three) (local.get $group) (local.get $found)))))
        (local.set $three (i32.and (i32.wrap_i64 (i64.shr_u (local.get $eight) (i64.const 32))) (i32.const 0xffffff)))
        (local.set $group
          (i32.load16_u
            (i32.add (local.get $slots)
              (i32.shl (i32.shr_u (i32.mul (local.get $three) (i32.const 0x9e3779b1)) (i32.const 15)) (i32.const 1)))))
        (if (local.get $group)
          (then
            (local.set $found
              (call $compare (local.get $input) (local.get $length) (i32.add (local.get $at) (i32.const 4)) (local.get $three) (local.get $group) (local.get $found)))))
        (local.set $three (i32.and (i32.wrap_i64 (i64.shr_u (local.get $eight) (i64.const 40))) (i32.const 0xffffff)))
        (local.set $group
          (i32.load16_u
            (i32.add (local.get $slots)
              (i32.shl (i32.shr_u (i32.mul (local.get $three) (i32.const 0x9e3779b1)) (i32.const 15)) (i32.const 1)))))
        (if (local.get $group)
          (then
            (local.set $found
              (call $compare (local.get $input) (local.get $length) (i32.add (local.get $at) (i32.const 5)) (local.get $three) (local.get $group) (local.get $found)))))
        (local.set $at (i32.add (local.get $at) (i32.const 6)))
        (br $nextSix)))
    ;; The last positions, fewer than six, one by one.
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $to)))
        (local.set $three (i32.and
            (i32.or (i32.load (i32.add (local.get $input) (local.get $at))) (i32.const 0x202020))
            (i32.const 0xffffff)))
        (local.set $group
          (i32.load16_u
            (i32.add (local.get $slots)
              (i32.shl (i32.shr_u (i32.mul (local.get $three) (i32.const 0x9e3779b1)) (i32.const 15)) (i32.const 1)))))
        (if (local.get $group)
          (then
            (local.set $found
              (call $compare (local.get $input) (local.get $length) (local.get $at) (local.get $three) (local.get $group) (local.get $found)))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (local.get $found))

  ;; Compares the keywords of the group whose three folded bytes are $three at $at with the input,
  ;; writes out each that occurs (after the $found already written), and returns the new count.
  (func $compare
    (param $input i32) (param $length i32) (param $at i32) (param $three i32) (param $group i32) (param $found i32)
    (result i32)
    (local $entry i32)
    (local $end i32)
    (local $where i32)
    (local $start i32)
    (local $keyword i32)
    (local $bytes i32)
    (local $size i32)
    (local $i i32)
    (local $byte i32)
    (local.set $entry (i32.load (i32.add (global.get $groups) (i32.shl (i32.sub (local.get $group) (i32.const 1)) (i32.const 2)))))
    (local.set $end (i32.load (i32.add (global.get $groups) (i32.shl (local.get $group) (i32.const 2)))))
    (block $entriesDone
      (loop $nextEntry
        (br_if $entriesDone (i32.ge_u (local.get $entry) (local.get $end)))
        (if (i32.eq (i32.load (i32.add (global.get $entries) (i32.shl (local.get $entry) (i32.const 2)))) (local.get $three))
          (then
            (local.set $where (i32.load offset=4 (i32.add (global.get $entries) (i32.shl (local.get $entry) (i32.const 2)))))
            (local.set $keyword (i32.shr_u (local.get $where) (i32.const 8)))
            (local.set $start (i32.sub (local.get $at) (i32.and (local.get $where) (i32.const 255))))
            (local.set $bytes (i32.load (i32.add (global.get $keywords) (i32.shl (local.get $keyword) (i32.const 3)))))
            (local.set $size (i32.load offset=4 (i32.add (global.get $keywords) (i32.shl (local.get $keyword) (i32.const 3)))))
            ;; Inside the input ($start is signed: a keyword cannot start before the input)?
            (if (i32.and
                  (i32.ge_s (local.get $start) (i32.const 0))
                  (i32.le_s (i32.add (local.get $start) (local.get $size)) (local.get $length)))
              (then
                (local.set $i (i32.const 0))
                (block $differs
                  (loop $nextByte
                    (if (i32.lt_u (local.get $i) (local.get $size))
                      (then
                        (local.set $byte (i32.load8_u (i32.add (local.get $input) (i32.add (local.get $start) (local.get $i)))))
                        ;; ASCII upper-case letters lower-cased; every other byte as it is.
                        (if (i32.lt_u (i32.sub (local.get $byte) (i32.const 65)) (i32.const 26))
                          (then (local.set $byte (i32.or (local.get $byte) (i32.const 32)))))
                        (br_if $differs
                          (i32.ne (local.get $byte) (i32.load8_u (i32.add (local.get $bytes) (local.get $i)))))
                        (local.set $i (i32.add (local.get $i) (i32.const 1)))
                        (br $nextByte))))
                  (i32.store (i32.add (global.get $out) (i32.shl (local.get $found) (i32.const 3))) (local.get $start))
                  (i32.store offset=4 (i32.add (global.get $out) (i32.shl (local.get $found) (i32.const 3))) (local.get $keyword))
                  (local.set $found (i32.add (local.get $found) (i32.const 1))))))))
        (local.set $entry (i32.add (local.get $entry) (i32.const 2)))
        (br $nextEntry)))
    (local.get $found)))
