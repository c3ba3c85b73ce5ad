/**
 * Provenance records where a trace came from without leaking the capturing machine's layout:
 * file paths are stored relative to the repository (the git root, else the working directory),
 * and a file outside it keeps only its name. URLs (`langfuse://…`, `http://tempo…`) are kept.
 */
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** One location (or a `, `-joined list of files) made relative to `base` (an absolute directory). */
export function relativeLocation(location: string, base: string): string {
  return location
    .split(', ')
    .map((part) => {
      if (URL_LIKE.test(part) || part === '-' || part === '') return part;
      const abs = isAbsolute(part) ? part : resolve(base, part);
      const rel = relative(base, abs);
      if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return basename(abs);
      return rel.split(sep).join('/');
    })
    .join(', ');
}
