import { Migration } from '@mikro-orm/migrations';

/**
 * The directory's data model. Portal access lives on the contact row (1:1) so the visibility rule
 * and the "one login per e-mail" constraint are plain SQL over one table. E-mails are stored
 * lower-cased by the service. Audit entries are append-only, enforced by a trigger.
 */
export class DirectoryModelMigration extends Migration {
  static migrationName = '20261122100000_directory_model';

  override up(): void {
    this.addSql(`
      create table account_class (
        id uuid primary key,
        name text not null,
        description text,
        auto_send_invite boolean not null default false,
        allow_self_registration boolean not null default false,
        require_mfa boolean not null default false,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql('create unique index account_class_name_key on account_class (lower(name))');

    this.addSql(`
      create table account (
        id uuid primary key,
        number text not null,
        name text not null,
        kind text not null check (kind in ('customer', 'consolidated')),
        class_id uuid references account_class (id),
        consolidated_account_id uuid references account (id),
        archived_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint account_only_customers_consolidate check (kind = 'customer' or consolidated_account_id is null)
      )`);
    this.addSql('create unique index account_number_key on account (lower(number))');
    this.addSql('create index account_name_idx on account (lower(name), id)');
    this.addSql(
      'create index account_consolidated_idx on account (consolidated_account_id) where consolidated_account_id is not null',
    );
    this.addSql('create index account_class_idx on account (class_id) where class_id is not null');

    this.addSql(`
      create table site (
        id uuid primary key,
        account_id uuid not null references account (id),
        code text not null,
        name text not null,
        address_line1 text,
        address_line2 text,
        city text,
        postal_code text,
        country text,
        archived_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql('create unique index site_code_key on site (account_id, lower(code))');

    this.addSql(`
      create table project (
        id uuid primary key,
        account_id uuid not null references account (id),
        site_id uuid references site (id),
        code text not null,
        name text not null,
        hidden boolean not null default false,
        completed boolean not null default false,
        archived_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql('create unique index project_code_key on project (account_id, lower(code))');
    this.addSql('create index project_site_idx on project (site_id) where site_id is not null');

    this.addSql(`
      create table contact (
        id uuid primary key,
        account_id uuid not null references account (id),
        site_id uuid references site (id),
        first_name text not null,
        last_name text not null,
        email text check (email = lower(email)),
        phone text,
        title text,
        access_status text not null default 'none' check (access_status in ('none', 'invited', 'enabled', 'disabled')),
        access_scope text not null default 'all' check (access_scope in ('all', 'selected')),
        mfa_required boolean not null default false,
        identity_user_id text,
        invited_at timestamptz,
        invite_expires_at timestamptz,
        enabled_at timestamptz,
        disabled_at timestamptz,
        archived_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint contact_access_needs_email check (access_status = 'none' or email is not null)
      )`);
    // One e-mail per account among live contacts; one portal login per e-mail across the installation.
    this.addSql(
      'create unique index contact_email_key on contact (account_id, email) where email is not null and archived_at is null',
    );
    this.addSql("create unique index contact_portal_login_key on contact (email) where access_status <> 'none'");
    this.addSql('create index contact_name_idx on contact (account_id, lower(last_name), lower(first_name), id)');
    this.addSql('create index contact_site_idx on contact (site_id) where site_id is not null');

    this.addSql(`
      create table access_scope_site (
        contact_id uuid not null references contact (id) on delete cascade,
        site_id uuid not null references site (id),
        primary key (contact_id, site_id)
      )`);
    this.addSql(`
      create table access_scope_project (
        contact_id uuid not null references contact (id) on delete cascade,
        project_id uuid not null references project (id),
        primary key (contact_id, project_id)
      )`);

    this.addSql(`
      create table system_options (
        singleton boolean primary key default true check (singleton),
        request_login_button boolean not null default false,
        self_registration boolean not null default false,
        updated_at timestamptz
      )`);
    this.addSql('insert into system_options default values');

    this.addSql(`
      create table invoice_reference (
        id uuid primary key,
        number text not null,
        account_id uuid not null references account (id),
        quick_pay_code_hash text,
        amount numeric(14, 2) not null,
        currency text not null check (currency ~ '^[A-Z]{3}$'),
        issued_at date not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql('create unique index invoice_reference_number_key on invoice_reference (lower(number))');
    this.addSql('create index invoice_reference_account_idx on invoice_reference (account_id)');

    this.addSql(`
      create table audit_entry (
        id bigserial primary key,
        occurred_at timestamptz not null default now(),
        actor jsonb not null,
        source_ip text,
        request_id text,
        account_id uuid,
        contact_id uuid,
        entity text not null,
        entity_id text not null,
        action text not null,
        changes jsonb not null default '{}'
      )`);
    this.addSql(
      'create index audit_entry_contact_idx on audit_entry (contact_id, id desc) where contact_id is not null',
    );
    this.addSql(
      'create index audit_entry_account_idx on audit_entry (account_id, id desc) where account_id is not null',
    );
    this.addSql(`
      create function audit_entry_is_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_entry is append-only';
      end
      $$`);
    this.addSql(`
      create trigger audit_entry_append_only before update or delete or truncate on audit_entry
      for each statement execute function audit_entry_is_append_only()`);

    this.addSql(`
      create table contact_import (
        id uuid primary key,
        status text not null check (status in ('running', 'completed', 'failed')),
        actor jsonb not null,
        total_rows integer,
        processed_rows integer not null default 0,
        created integer not null default 0,
        updated integer not null default 0,
        unchanged integer not null default 0,
        rejected integer not null default 0,
        errors jsonb not null default '[]',
        failure text,
        started_at timestamptz not null default now(),
        finished_at timestamptz
      )`);
  }

  override down(): void {
    this.addSql('drop table contact_import');
    this.addSql('drop table audit_entry');
    this.addSql('drop function audit_entry_is_append_only()');
    this.addSql('drop table invoice_reference');
    this.addSql('drop table system_options');
    this.addSql('drop table access_scope_project');
    this.addSql('drop table access_scope_site');
    this.addSql('drop table contact');
    this.addSql('drop table project');
    this.addSql('drop table site');
    this.addSql('drop table account');
    this.addSql('drop table account_class');
  }
}
