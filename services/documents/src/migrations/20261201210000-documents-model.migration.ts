import { Migration } from '@mikro-orm/migrations';

/**
 * The documents service's model. Uploads are tickets for presigned PUTs; a finalized upload
 * becomes a version, quarantined (`scan_state = 'pending'`) until the malware scan passes; a
 * document's `current_version_id` only ever points at a clean version, so every read path that
 * follows it can never reach an unfinalized or quarantined file.
 */
export class DocumentsModelMigration extends Migration {
  static migrationName = '20261201210000_documents_model';

  override up(): void {
    this.addSql(`
      create table file_type (
        id uuid primary key,
        code text not null unique,
        name text not null,
        customer_visible boolean not null default false,
        allowed_content_types text[] not null check (cardinality(allowed_content_types) > 0),
        max_size_bytes bigint not null check (max_size_bytes > 0),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table document (
        id uuid primary key,
        account_id uuid not null,
        owner_kind text not null check (owner_kind in ('account', 'site', 'project')),
        owner_id uuid not null,
        title text not null,
        description text,
        file_type_id uuid not null references file_type (id),
        sharing text not null default 'by-file-type' check (sharing in ('by-file-type', 'internal', 'contacts')),
        current_version_id uuid,
        latest_version_id uuid,
        created_by jsonb not null,
        archived_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql('create index document_account_title on document (account_id, lower(title), id)');
    this.addSql('create index document_owner_title on document (owner_id, lower(title), id)');
    // The portal's list: only rows that can ever be visible, by owner, in title order.
    this.addSql(`
      create index document_portal_list on document (owner_id, lower(title), id)
      where archived_at is null and current_version_id is not null and sharing <> 'internal'`);
    this.addSql(`
      create table document_share (
        document_id uuid not null references document (id) on delete cascade,
        contact_id uuid not null,
        primary key (document_id, contact_id)
      )`);
    this.addSql('create index document_share_contact on document_share (contact_id)');
    this.addSql(`
      create table document_version (
        id uuid primary key,
        document_id uuid not null references document (id),
        number int not null check (number > 0),
        object_key text not null unique,
        size_bytes bigint not null check (size_bytes >= 0),
        sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
        content_type text not null,
        file_name text not null,
        scan_state text not null default 'pending' check (scan_state in ('pending', 'clean', 'infected')),
        scan_signature text,
        scan_attempts int not null default 0,
        scanned_at timestamptz,
        uploaded_by jsonb not null,
        uploaded_at timestamptz not null default now(),
        request_id uuid,
        unique (document_id, number)
      )`);
    this.addSql("create index document_version_pending on document_version (uploaded_at) where scan_state = 'pending'");
    this.addSql(
      'alter table document add constraint document_current_version_fk foreign key (current_version_id) references document_version (id)',
    );
    this.addSql(
      'alter table document add constraint document_latest_version_fk foreign key (latest_version_id) references document_version (id)',
    );
    this.addSql(`
      create table document_request (
        id uuid primary key,
        account_id uuid not null,
        owner_kind text not null check (owner_kind in ('account', 'site', 'project')),
        owner_id uuid not null,
        title text not null,
        instructions text,
        file_type_id uuid not null references file_type (id),
        due_date date,
        status text not null default 'open' check (status in ('open', 'fulfilled', 'cancelled')),
        fulfilled_document_id uuid references document (id),
        fulfilled_version_id uuid references document_version (id),
        fulfilled_by_contact_id uuid,
        fulfilled_at timestamptz,
        created_by jsonb not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql('create index document_request_account on document_request (account_id, created_at desc, id)');
    // The version a contact uploaded to answer a request (fulfils it once clean).
    this.addSql(
      'alter table document_version add constraint document_version_request_fk foreign key (request_id) references document_request (id)',
    );
    this.addSql(`
      create table document_request_contact (
        request_id uuid not null references document_request (id) on delete cascade,
        contact_id uuid not null,
        primary key (request_id, contact_id)
      )`);
    this.addSql('create index document_request_contact_contact on document_request_contact (contact_id)');
    // A ticket for one presigned PUT. Exactly one of document_id (staff: a new version) and
    // request_id (a contact answering a request) is set.
    this.addSql(`
      create table upload (
        id uuid primary key,
        object_key text not null unique,
        document_id uuid references document (id),
        request_id uuid references document_request (id),
        file_name text not null,
        content_type text not null,
        size_bytes bigint not null check (size_bytes > 0),
        state text not null default 'pending' check (state in ('pending', 'finalized', 'refused', 'expired')),
        created_by jsonb not null,
        expires_at timestamptz not null,
        created_at timestamptz not null default now(),
        check ((document_id is null) <> (request_id is null))
      )`);
    this.addSql("create index upload_pending on upload (expires_at) where state = 'pending'");
    this.addSql(`
      create table download_log (
        id uuid primary key,
        document_id uuid not null references document (id),
        version_id uuid not null references document_version (id),
        account_id uuid not null,
        actor_kind text not null check (actor_kind in ('staff', 'contact')),
        staff_user_id text,
        contact_id uuid,
        source_address text,
        downloaded_at timestamptz not null default now(),
        check ((actor_kind = 'staff') = (staff_user_id is not null)),
        check ((actor_kind = 'contact') = (contact_id is not null))
      )`);
    this.addSql('create index download_log_time on download_log (downloaded_at desc, id desc)');
    this.addSql('create index download_log_document on download_log (document_id, downloaded_at desc, id desc)');
    this.addSql('create index download_log_contact on download_log (contact_id, downloaded_at desc, id desc)');

    // A starting set an installation edits on the File types screen.
    const mb = 1024 * 1024;
    const seeds: [string, string, boolean, string[], number][] = [
      [
        'drawing',
        'Drawings',
        true,
        ['application/pdf', 'image/vnd.dwg', 'image/png', 'image/jpeg', 'image/tiff'],
        200 * mb,
      ],
      ['datasheet', 'Datasheets', true, ['application/pdf'], 50 * mb],
      [
        'customer-file',
        'Files from customers',
        true,
        [
          'application/pdf',
          'image/png',
          'image/jpeg',
          'application/zip',
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'text/plain',
          'text/csv',
        ],
        100 * mb,
      ],
      [
        'internal-note',
        'Internal notes',
        false,
        ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/plain'],
        50 * mb,
      ],
    ];
    for (const [code, name, visible, types, max] of seeds) {
      this.addSql(
        `insert into file_type (id, code, name, customer_visible, allowed_content_types, max_size_bytes)
         values (gen_random_uuid(), '${code}', '${name}', ${visible}, array[${types.map((t) => `'${t}'`).join(', ')}], ${max})`,
      );
    }
  }

  override down(): void {
    // The cross-references first; then each table after the ones that point at it.
    this.addSql('alter table document_version drop constraint document_version_request_fk');
    this.addSql('alter table document drop constraint document_current_version_fk');
    this.addSql('alter table document drop constraint document_latest_version_fk');
    for (const table of [
      'download_log',
      'upload',
      'document_request_contact',
      'document_request',
      'document_share',
      'document_version',
      'document',
      'file_type',
    ]) {
      this.addSql(`drop table ${table}`);
    }
  }
}
