/**
 * Index membership as the engines ask for it (SPEC §1, "Membership selects
 * rows, never history"): is instrument `instrument` (the engine's id) a
 * member of the universe on calendar position `dateIndex`?
 *
 * Features and labels use every bar of an instrument for its own history;
 * only the members of a date form that date's cross-section (its rows,
 * preprocessing, industry proxies, market mean) and carry-forward reaches
 * only member dates. `null` where an oracle is optional means "no membership
 * table": every instrument is a member on every date.
 *
 * Called once per candidate row and per bar of a date, so an implementation
 * should answer in O(1) or O(log spans) without allocating.
 */
export interface MemberOracle {
  isMember(instrument: number, dateIndex: number): boolean;
}
