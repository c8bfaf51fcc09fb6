/** How the host reports what happens, for the crash log. */
export type Breadcrumb = (
  event: string,
  fields?: Record<string, string | number | boolean | null | undefined>,
) => void;
