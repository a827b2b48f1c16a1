/** Messages of the exemplars (双拥先进典型) pages of the web app. */
export const webExemplarsMessages = {} as const;
