import { useLocation, useNavigate } from 'react-router-dom';

/** 返回: back in history when the page was reached inside the app, else to `fallback` (a pasted link). */
export function useBack(fallback: string): () => void {
  const navigate = useNavigate();
  const location = useLocation();
  return () => (location.key !== 'default' ? navigate(-1) : navigate(fallback));
}
