/**
 * A case's life cycle as data: for each status, which action it allows and where it leads. The
 * module keeps its own table of transitions (needs: decisions/0006; benefit discrepancies:
 * decisions/0055); this is the one way they are read.
 */
export type Transitions<S extends string, A extends string> = Readonly<Record<S, Partial<Record<A, S>>>>;

export interface CaseMachine<S extends string, A extends string> {
  readonly transitions: Transitions<S, A>;
  /** The actions `status` allows. */
  allowed(status: S): A[];
  /** The status `action` leads to from `status`, or null when the machine does not allow it. */
  next(status: S, action: A): S | null;
}

export function caseMachine<S extends string, A extends string>(transitions: Transitions<S, A>): CaseMachine<S, A> {
  return {
    transitions,
    allowed: (status) => Object.keys(transitions[status] ?? {}) as A[],
    next: (status, action) => transitions[status]?.[action] ?? null,
  };
}
