import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';

/**
 * The app's one QueryClient (decisions/0022): every page reads through TanStack Query, which
 * cancels a superseded request (the query function passes its AbortSignal to `fetch`) and keeps
 * the last answer per key, so a slow older response can never overwrite a newer one. Errors are
 * shown once, by the API client's global handler (app/ApiBridge.tsx); queries do not repeat them.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        gcTime: 5 * 60_000,
        refetchOnWindowFocus: false,
        // a refused request (4xx) is final; a network failure or an overloaded server gets one more try
        retry: (count, error) =>
          count < 1 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      },
      mutations: { retry: false },
    },
  });
}
