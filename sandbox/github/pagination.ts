/** The slice of a list one page holds, and the `link` header that points to the others. */
export interface Page<T> {
  items: T[];
  link: string | undefined;
}

/** GitHub's defaults: 30 per page, at most 100. https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api */
export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;

/**
 * Cuts `items` to the requested page and builds the `link` header the way GitHub does: `prev`, `next`, `last`,
 * `first` in that order, each URL carrying the request's other query parameters with `page` last.
 * `linkBase` is the absolute URL without query; GitHub names repositories and organisations there by id
 * (`/repositories/42/...`), which the sandbox also serves.
 */
export function paginate<T>(items: T[], query: URLSearchParams, linkBase: string): Page<T> {
  const perPage = clamp(Number(query.get('per_page') ?? DEFAULT_PER_PAGE), 1, MAX_PER_PAGE);
  const page = Math.max(1, Math.floor(Number(query.get('page') ?? 1)) || 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const url = (n: number): string => {
    const q = new URLSearchParams(query);
    q.delete('page');
    q.append('page', String(n));
    return `<${linkBase}?${q.toString()}>`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`${url(Math.min(page - 1, lastPage))}; rel="prev"`);
  if (page < lastPage) rels.push(`${url(page + 1)}; rel="next"`, `${url(lastPage)}; rel="last"`);
  if (page > 1) rels.push(`${url(1)}; rel="first"`);
  return { items: slice, link: rels.length > 0 ? rels.join(', ') : undefined };
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.floor(n))) : DEFAULT_PER_PAGE;
}
