import { z } from 'zod';

/** What a to-do on the home page is about; the web app labels it (`home.todo.<key>`). */
export const HOME_TODO_KEYS = [
  'tasksOverdue',
  'tasksReturned',
  'tasksNotStarted',
  'tasksInProgress',
  'reportsToReview',
  'needsToAccept',
  'needsToAssign',
  'needsToHandle',
  'needsToRate',
  'needsOverdue',
  'discrepanciesToHandle',
  'discrepanciesOverdue',
  'visitApprovals',
  'transfersToDecide',
  'citationsDue',
  'importsFinished',
  'notificationsUnread',
] as const;
export type HomeTodoKey = (typeof HOME_TODO_KEYS)[number];

/**
 * One to-do: how many, and the list behind the number (a web path with its filter in the query
 * string; the list shows the same total).
 */
export const homeTodo = z.object({
  key: z.enum(HOME_TODO_KEYS),
  count: z.number().int(),
  link: z.string(),
  /** Overdue or waiting on a deadline: shown in red. */
  urgent: z.boolean(),
});
export type HomeTodo = z.infer<typeof homeTodo>;

export const homeFigures = z.object({
  /** The current campaign (latest issued one the caller sees), null when there is none. */
  campaign: z
    .object({
      id: z.string(),
      title: z.string(),
      /** Assignments in the caller's scope, and those accepted (报告已通过). */
      assignments: z.number().int(),
      accepted: z.number().int(),
      completionPercent: z.number().nullable(),
    })
    .nullable(),
  /** Priority households of the campaign's visit plans in scope (null: the caller has no visits view). */
  visits: z
    .object({
      planned: z.number().int(),
      visited: z.number().int(),
      coveragePercent: z.number().nullable(),
      spentFen: z.number().int(),
      budgetFen: z.number().int(),
    })
    .nullable(),
  /** Needs in scope (null without need:read). */
  needs: z
    .object({
      open: z.number().int(),
      overdue: z.number().int(),
      closedThisWeek: z.number().int(),
      averageRating: z.number().nullable(),
    })
    .nullable(),
});
export type HomeFigures = z.infer<typeof homeFigures>;

export const homeSchema = z.object({
  todos: z.array(homeTodo),
  figures: homeFigures,
});
export type Home = z.infer<typeof homeSchema>;
