/**
 * etcd's quorum rule, in one place for the simulation and the etcd panel: a write is stored only
 * when a majority of the members agree, so n members need floor(n/2) + 1 of them up — 2 of 2,
 * 2 of 3, 3 of 4, 3 of 5. Two members tolerate no failure; three tolerate one; five tolerate two.
 */

/** Members that must be up for etcd to accept a write (its quorum). */
export const majorityOf = (members: number): number => Math.floor(members / 2) + 1;

/** Whether `up` of `members` members are a majority (no members: no quorum). */
export const hasQuorum = (up: number, members: number): boolean => members > 0 && up >= majorityOf(members);

/** How many members may fail with the cluster still writing. */
export const toleratedFailures = (members: number): number => Math.max(0, members - majorityOf(members));
