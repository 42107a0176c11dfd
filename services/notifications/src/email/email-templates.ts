import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

/** The e-mails this service sends; each has `<name>.subject.hbs`, `.text.hbs` and `.html.hbs` in templates/. */
export const emailTemplateNames = ['access-request-rejected'] as const;
export type EmailTemplateName = (typeof emailTemplateNames)[number];

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Render = (data: Record<string, unknown>) => string;

const templateFile = (name: string, part: string) =>
  readFileSync(new URL(`../templates/${name}.${part}.hbs`, import.meta.url), 'utf8');

/**
 * Compiles every template once, at start (a missing or broken one stops the process there, not at
 * the first e-mail). HTML escapes what it inserts; subject and text are plain text and do not.
 */
export function loadEmailTemplates(): (name: EmailTemplateName, data: Record<string, unknown>) => RenderedEmail {
  const handlebars = Handlebars.create();
  const compiled = new Map<EmailTemplateName, { subject: Render; text: Render; html: Render }>(
    emailTemplateNames.map((name) => [
      name,
      {
        subject: handlebars.compile(templateFile(name, 'subject'), { noEscape: true, strict: true }),
        text: handlebars.compile(templateFile(name, 'text'), { noEscape: true, strict: true }),
        html: handlebars.compile(templateFile(name, 'html'), { strict: true }),
      },
    ]),
  );
  return (name, data) => {
    const template = compiled.get(name);
    if (!template) throw new Error(`no e-mail template ${name}`);
    return {
      // A header is one line, whatever a name holds.
      subject: template.subject(data).replace(/\s+/g, ' ').trim(),
      text: template.text(data),
      html: template.html(data),
    };
  };
}
