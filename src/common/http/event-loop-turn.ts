/**
 * The current turn of the event loop, as an identity: the same object until the loop's next
 * check phase (setImmediate), a new one after it. Compared, never inspected. One immediate is
 * scheduled per turn in which somebody asks, not one per caller.
 */
let current: object | undefined;

export function currentTurn(): object {
  if (current === undefined) {
    const turn = {};
    current = turn;
    setImmediate(() => {
      if (current === turn) current = undefined;
    });
  }
  return current;
}
