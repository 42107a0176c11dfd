import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/**
 * The e-mails this service sends; each has `<name>.subject.hbs`, `.text.hbs` and `.html.hbs` in
 * templates/, rendered into the layout (`layout.{html,text}.hbs` with the partials `header` and
 * `footer`, which holds the unsubscribe link). Each also has sample data: the preview renders with
 * it, and the start renders every template with it so a broken override fails there, loudly.
 */
export const emailTemplateSamples = {
  'access-request-rejected': { name: 'Ada Lovelace', company: 'Analytical Engines Ltd' },
  'submittal-sent': {
    number: 'TR-0042',
    revision: 1,
    title: 'Structural drawings, level 2',
    purpose: 'approval',
    expectedReturnDate: '2027-01-15',
  },
  'submittal-returned': {
    number: 'TR-0042',
    revision: 1,
    title: 'Structural drawings, level 2',
    code: 'B',
    label: 'Approved as noted',
    stageComplete: true,
  },
  'submittal-received': { transmittalNumber: 'CUST-117', fileCount: 3 },
  'submittal-overdue': {
    number: 'TR-0042',
    revision: 1,
    title: 'Structural drawings, level 2',
    expectedReturnDate: '2027-01-15',
  },
  'document-request-created': { title: 'Insurance certificate 2027', dueDate: '2027-02-01' },
  'document-request-fulfilled': {},
  'access-request-received': { company: 'Analytical Engines Ltd' },
  digest: {
    count: 2,
    items: [
      {
        summary: 'Submittal TR-0042 rev 1: Structural drawings, level 2',
        link: 'https://portal.example.com/portal/submittals/1',
        unsubscribeUrl: 'https://portal.example.com/portal/unsubscribe/sample',
      },
      {
        summary: 'Document requested: Insurance certificate 2027',
        link: 'https://portal.example.com/portal/requests',
        unsubscribeUrl: 'https://portal.example.com/portal/unsubscribe/sample',
      },
    ],
  },
} as const satisfies Record<string, Record<string, unknown>>;

export type EmailTemplateName = keyof typeof emailTemplateSamples;
export const emailTemplateNames = Object.keys(emailTemplateSamples) as EmailTemplateName[];

/** What every e-mail's layout uses besides the template's own values. */
export const layoutSample = {
  productName: 'Customer Portal',
  recipientName: 'Grace Hopper',
  link: 'https://portal.example.com/portal',
  unsubscribeUrl: 'https://portal.example.com/portal/unsubscribe/sample' as string | null,
};

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export type RenderEmail = (name: EmailTemplateName, data: Record<string, unknown>) => RenderedEmail;

export interface EmailTemplates {
  render: RenderEmail;
  /** The template's built-in sample values (with the layout's), for the preview. */
  sampleOf(name: EmailTemplateName): Record<string, unknown>;
  /** Which templates a file of the override folder replaces (wholly or one part). */
  overridden: ReadonlySet<EmailTemplateName>;
}

/** Thrown at start when a template (built in or override) does not compile or render its sample. */
export class EmailTemplateError extends Error {
  override name = 'EmailTemplateError';
}

const builtInDir = fileURLToPath(new URL('../templates/', import.meta.url));
type Render = (data: Record<string, unknown>) => string;

/**
 * Compiles every template once, at start. A file of `overrideDir` with the same name as a built-in
 * one (`submittal-sent.html.hbs`, `layout.html.hbs`, `footer.text.hbs`, …) wins. A template that
 * does not parse, or does not render its sample (strict: a value it names is missing), stops the
 * start with the file's name. HTML escapes what it inserts; subject and text do not.
 */
export function loadEmailTemplates(overrideDir?: string): EmailTemplates {
  const overriddenFiles = new Set<string>();
  const source = (file: string): string => {
    const override = overrideDir ? join(overrideDir, file) : null;
    const path = override && existsSync(override) ? override : join(builtInDir, file);
    if (path === override) overriddenFiles.add(file);
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new EmailTemplateError(`E-mail template ${path} cannot be read: ${(error as Error).message}`);
    }
  };
  const compile = (handlebars: typeof Handlebars, file: string, escape: boolean): Render => {
    const text = source(file);
    try {
      // compile() parses lazily; parse now so a syntax error stops the start.
      handlebars.parse(text);
      return handlebars.compile(text, { noEscape: !escape, strict: true });
    } catch (error) {
      throw new EmailTemplateError(`E-mail template ${file} is broken: ${(error as Error).message}`);
    }
  };

  const html = Handlebars.create();
  const text = Handlebars.create();
  for (const partial of ['header', 'footer']) {
    html.registerPartial(partial, compile(html, `${partial}.html.hbs`, true));
    text.registerPartial(partial, compile(text, `${partial}.text.hbs`, false));
  }
  const layout = { html: compile(html, 'layout.html.hbs', true), text: compile(text, 'layout.text.hbs', false) };
  const compiled = new Map(
    emailTemplateNames.map((name) => [
      name,
      {
        subject: compile(text, `${name}.subject.hbs`, false),
        text: compile(text, `${name}.text.hbs`, false),
        html: compile(html, `${name}.html.hbs`, true),
      },
    ]),
  );

  const render: RenderEmail = (name, data) => {
    const template = compiled.get(name);
    if (!template) throw new EmailTemplateError(`no e-mail template ${name}`);
    const values = { ...layoutSampleDefaults, ...data };
    return {
      // A header is one line, whatever a name holds.
      subject: template.subject(values).replace(/\s+/g, ' ').trim(),
      text: `${layout.text({ ...values, body: template.text(values).trim() }).trim()}\n`,
      html: layout.html({ ...values, body: template.html(values) }),
    };
  };
  const sampleOf = (name: EmailTemplateName) => ({ ...layoutSample, ...emailTemplateSamples[name] });

  for (const name of emailTemplateNames) {
    try {
      render(name, sampleOf(name));
    } catch (error) {
      throw new EmailTemplateError(`E-mail template ${name} does not render its sample: ${(error as Error).message}`);
    }
  }
  const shared = ['layout', 'header', 'footer'].some((part) =>
    [...overriddenFiles].some((file) => file.startsWith(`${part}.`)),
  );
  const overridden = new Set(
    emailTemplateNames.filter((name) => shared || [...overriddenFiles].some((file) => file.startsWith(`${name}.`))),
  );
  return { render, sampleOf, overridden };
}

/** Values the layout may name that a sender need not give (no link, no unsubscribe for a one-off e-mail). */
const layoutSampleDefaults = { unsubscribeUrl: null, recipientName: null, link: null };
