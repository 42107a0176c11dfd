import { Migration } from '@mikro-orm/migrations';

/**
 * The submittals service's model. An outgoing submittal is one revision of a transmittal number
 * (`sequence` per project); the next revision links to the previous one, at most one each. Files
 * are document versions of the documents service, held by id with the facts shown in lists
 * (foreign ids are opaque: no cross-schema keys). A customer's answer is stored as given, with the
 * code's label and flag at that moment, so a later change of the account's list rewrites nothing.
 */
export class SubmittalsModelMigration extends Migration {
  static migrationName = '20261203120000_submittals_model';

  override up(): void {
    this.addSql(`
      create table return_code_list (
        account_id uuid primary key,
        codes jsonb not null check (jsonb_typeof(codes) = 'array'),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table project_counter (
        project_id uuid primary key,
        last_sequence int not null check (last_sequence > 0)
      )`);
    this.addSql(`
      create table submittal (
        id uuid primary key,
        account_id uuid not null,
        project_id uuid not null,
        sequence int not null check (sequence > 0),
        number text not null,
        revision int not null default 0 check (revision >= 0),
        previous_revision_id uuid unique references submittal (id),
        purpose text not null check (purpose in ('for-approval', 'for-review', 'for-information', 'as-requested')),
        title text not null,
        message text,
        due_date date,
        expected_return_date date,
        notify_by_email boolean not null default false,
        status text not null default 'draft' check (status in ('draft', 'sent', 'returned', 'closed', 'void')),
        response jsonb,
        created_by jsonb not null,
        sent_at timestamptz,
        returned_at timestamptz,
        closed_at timestamptz,
        voided_at timestamptz,
        overdue_notified_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (project_id, sequence, revision),
        check ((status = 'returned') <= (response is not null))
      )`);
    this.addSql('create index submittal_project_list on submittal (project_id, created_at desc, id desc)');
    this.addSql('create index submittal_account_list on submittal (account_id, created_at desc, id desc)');
    this.addSql('create index submittal_list on submittal (created_at desc, id desc)');
    // The overdue sweep: sent, dated, not reported yet.
    this.addSql(`
      create index submittal_overdue_due on submittal (expected_return_date)
      where status = 'sent' and expected_return_date is not null and overdue_notified_at is null`);
    this.addSql(`
      create table submittal_file (
        submittal_id uuid not null references submittal (id) on delete cascade,
        position int not null,
        version_id uuid not null,
        document_id uuid not null,
        file_name text not null,
        size_bytes bigint not null,
        content_type text not null,
        primary key (submittal_id, version_id)
      )`);
    this.addSql(`
      create table incoming_submittal (
        id uuid primary key,
        account_id uuid not null,
        project_id uuid not null,
        contact_id uuid not null,
        transmittal_number text not null,
        note text,
        status text not null default 'unprocessed' check (status in ('unprocessed', 'processed')),
        created_by jsonb not null,
        received_at timestamptz not null default now(),
        processed_at timestamptz,
        processed_by text,
        check ((status = 'processed') = (processed_at is not null and processed_by is not null))
      )`);
    this.addSql('create index incoming_project_list on incoming_submittal (project_id, received_at desc, id desc)');
    this.addSql('create index incoming_contact_list on incoming_submittal (contact_id, received_at desc, id desc)');
    // The staff queue reads only what waits.
    this.addSql(`
      create index incoming_unprocessed on incoming_submittal (project_id, received_at)
      where status = 'unprocessed'`);
    this.addSql(`
      create table incoming_file (
        incoming_submittal_id uuid not null references incoming_submittal (id) on delete cascade,
        position int not null,
        version_id uuid not null,
        document_id uuid not null,
        file_name text not null,
        size_bytes bigint not null,
        content_type text not null,
        is_letter boolean not null default false,
        primary key (incoming_submittal_id, version_id)
      )`);
  }

  override down(): void {
    for (const table of [
      'incoming_file',
      'incoming_submittal',
      'submittal_file',
      'submittal',
      'project_counter',
      'return_code_list',
    ]) {
      this.addSql(`drop table ${table}`);
    }
  }
}
