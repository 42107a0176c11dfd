/**
 * The name a file is stored and downloaded under. A client's name is only a label: path parts go
 * (`../../etc/passwd` → `passwd`, `C:\evil\a.pdf` → `a.pdf`), and so do control characters and the
 * Unicode format characters used for bidi tricks (`invoice\u202Efdp.exe` would read as
 * `invoiceexe.pdf`). The result is NFC, at most 200 characters, with its extension kept when the
 * name is shortened. Null when nothing usable is left.
 */
const maxFileNameLength = 200;

// C0/C1 controls, and every bidi control, zero-width and format character (Unicode category Cf).
const unsafeCharacters = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
// Characters that Windows, macOS or a shell treat specially in a file name.
const reservedCharacters = /[<>:"|?*]/g;

export function sanitizeFileName(declared: string): string | null {
  const lastPart = declared.split(/[/\\]/).pop() ?? '';
  const cleaned = lastPart
    .normalize('NFC')
    // White space of any kind (tab, line breaks) becomes one space; other invisible characters go.
    .replace(/\s+/g, ' ')
    .replace(unsafeCharacters, '')
    .replace(reservedCharacters, '_')
    .trim()
    // Leading dots would make a hidden file (or `..`); trailing dots and spaces vanish on Windows.
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  if (cleaned === '') return null;
  return shorten(cleaned);
}

function shorten(name: string): string {
  const characters = Array.from(name);
  if (characters.length <= maxFileNameLength) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  const keep = extension.length > 0 && extension.length <= 16 ? extension : [];
  return characters.slice(0, maxFileNameLength - keep.length).join('') + keep.join('');
}

/**
 * `Content-Disposition: attachment` for a sanitised name: an ASCII fallback for old clients and
 * the exact name in RFC 5987 form.
 */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
