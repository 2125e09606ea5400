;; The keyword prefilter's hot loop; prefilter.ts holds the rest and explains the method.
;;
;; For each position of the input, the three bytes from there, each OR 0x20 (which lower-cases ASCII
;; letters, and folds a few other bytes onto a neighbour), are hashed to one of 65,536 slots. Where
;; the slot holds some keyword's three characters, the position is a candidate: it is written out
;; with its folded bytes, and prefilter.ts compares it with the keywords of that slot.
;;
;; One 4-byte load a position and no value carried from one position to the next: V8 runs this at
;; ~0.9 GB/s here, where the JavaScript loop it replaced (a rolling value, a table lookup a
;; character to lower-case it) ran at ~0.25 GB/s.
(module
  (import "prefilter" "memory" (memory 1))

  ;; $input: the bytes, followed by two more (the next characters, or anything past the text's end).
  ;; $slots: one 16-bit number a slot, nonzero when some keyword's three characters hash to it.
  ;; $out: room for $length candidates, each two 32-bit numbers: its position and its folded bytes.
  ;; Returns the number of candidates written.
  (func (export "candidates") (param $input i32) (param $length i32) (param $slots i32) (param $out i32) (result i32)
    (local $at i32)
    (local $found i32)
    (local $three i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $length)))
        (local.set $three
          (i32.and
            (i32.or (i32.load (i32.add (local.get $input) (local.get $at))) (i32.const 0x202020))
            (i32.const 0xffffff)))
        ;; The slot: the top 16 bits of the folded bytes times 0x9e3779b1, as slotOf computes it.
        (if (i32.load16_u
              (i32.add (local.get $slots)
                (i32.shl (i32.shr_u (i32.mul (local.get $three) (i32.const 0x9e3779b1)) (i32.const 16)) (i32.const 1))))
          (then
            (i32.store (i32.add (local.get $out) (i32.shl (local.get $found) (i32.const 3))) (local.get $at))
            (i32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $found) (i32.const 3))) (local.get $three))
            (local.set $found (i32.add (local.get $found) (i32.const 1)))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (local.get $found)))
