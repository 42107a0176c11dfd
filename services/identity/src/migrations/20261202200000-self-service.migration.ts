import { Migration } from '@mikro-orm/migrations';

/**
 * The login page's self-service: the "Request access" queue, attempt counters for the public forms
 * (kept here, not in a gateway's memory, so a limit holds across replicas), and the queue of
 * invoice-verified registrations checked after the answer.
 */
export class SelfServiceMigration extends Migration {
  static migrationName = '20261202200000_self_service';

  override up(): void {
    this.addSql(`
      create table access_request (
        id uuid primary key,
        name text not null,
        email text not null check (email = lower(email)),
        company text not null,
        message text,
        status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
        created_at timestamptz not null default now(),
        source_ip text,
        request_id text,
        decided_at timestamptz,
        decided_by jsonb,
        account_id uuid,
        contact_id uuid,
        decision_reason text,
        constraint access_request_decided check ((status = 'pending') = (decided_at is null))
      )`);
    // One pending request per e-mail: a repeat is answered the same and changes nothing.
    this.addSql(
      "create unique index access_request_pending_email_key on access_request (email) where status = 'pending'",
    );
    this.addSql('create index access_request_queue_idx on access_request (status, created_at, id)');

    this.addSql(`
      create table attempt_counter (
        key text primary key,
        window_started_at timestamptz not null,
        attempts integer not null
      )`);
    this.addSql('create index attempt_counter_window_idx on attempt_counter (window_started_at)');

    // Holds a quick-pay code in clear only until the check has run (seconds): the row is deleted then.
    this.addSql(`
      create table self_registration_check (
        id uuid primary key,
        email text not null,
        invoice_number text not null,
        quick_pay_code text,
        account_number text,
        first_name text,
        last_name text,
        source_ip text,
        request_id text,
        created_at timestamptz not null default now(),
        due_at timestamptz not null default now(),
        attempts integer not null default 0,
        last_error text,
        constraint self_registration_check_proof check ((quick_pay_code is null) <> (account_number is null))
      )`);
    this.addSql('create index self_registration_check_due_idx on self_registration_check (due_at)');
  }

  override down(): void {
    this.addSql('drop table self_registration_check');
    this.addSql('drop table attempt_counter');
    this.addSql('drop table access_request');
  }
}
