import { Migration } from '@mikro-orm/migrations';

/**
 * The portal visibility rule, once, as SQL functions every read path goes through (DESIGN.md,
 * "The portal visibility rule"). Each layer builds on the one before, so the access and account
 * conditions exist in exactly one place:
 *
 *   portal_access_enabled → visible_account_ids → visible_project_ids → visible_site_ids
 *
 * `set search_path from current` pins the functions to this service's schema as it stands while
 * migrating, whatever search path a later caller has. Arguments are referred to qualified by the
 * function name because `contact_id` is also a column of the scope tables.
 */
export class VisibilityMigration extends Migration {
  static migrationName = '20261122110000_visibility';

  override up(): void {
    // The gate for everything else: access enabled, contact and its own account live.
    this.addSql(`
      create function portal_access_enabled(contact_id uuid) returns boolean
      language sql stable set search_path from current as $$
        select exists (
          select 1
          from contact c
          join account a on a.id = c.account_id
          where c.id = portal_access_enabled.contact_id
            and c.access_status = 'enabled'
            and c.archived_at is null
            and a.archived_at is null
        )
      $$`);

    // The contact's own account, and for an account-level contact of a consolidated account its
    // live member accounts. A site-level contact is confined to its site, so never to members.
    this.addSql(`
      create function visible_account_ids(contact_id uuid) returns setof uuid
      language sql stable set search_path from current as $$
        select own.id
        from contact c
        join account own on own.id = c.account_id
        where c.id = visible_account_ids.contact_id
          and portal_access_enabled(c.id)
        union all
        select member.id
        from contact c
        join account own on own.id = c.account_id and own.kind = 'consolidated'
        join account member on member.consolidated_account_id = own.id
        where c.id = visible_account_ids.contact_id
          and c.site_id is null
          and member.archived_at is null
          and portal_access_enabled(c.id)
      $$`);

    this.addSql(`
      create function visible_project_ids(contact_id uuid) returns setof uuid
      language sql stable set search_path from current as $$
        select p.id
        from contact c
        join project p on p.account_id in (select visible_account_ids(c.id))
        left join site s on s.id = p.site_id
        where c.id = visible_project_ids.contact_id
          and (c.site_id is null or p.site_id = c.site_id)
          and (
            c.access_scope = 'all'
            or p.id in (select sp.project_id from access_scope_project sp where sp.contact_id = c.id)
            or p.site_id in (select ss.site_id from access_scope_site ss where ss.contact_id = c.id)
          )
          and not p.hidden
          and not p.completed
          and p.archived_at is null
          and (p.site_id is null or s.archived_at is null)
      $$`);

    // A site opens to scope all, to its own selection, or through a visible project on it (a
    // hidden, completed or archived selected project does not open its site).
    this.addSql(`
      create function visible_site_ids(contact_id uuid) returns setof uuid
      language sql stable set search_path from current as $$
        select s.id
        from contact c
        join site s on s.account_id in (select visible_account_ids(c.id))
        where c.id = visible_site_ids.contact_id
          and s.archived_at is null
          and (c.site_id is null or s.id = c.site_id)
          and (
            c.access_scope = 'all'
            or s.id in (select ss.site_id from access_scope_site ss where ss.contact_id = c.id)
            or s.id in (
              select p.site_id from project p join visible_project_ids(c.id) as v (id) on v.id = p.id
            )
          )
      $$`);
  }

  override down(): void {
    this.addSql('drop function visible_site_ids(uuid)');
    this.addSql('drop function visible_project_ids(uuid)');
    this.addSql('drop function visible_account_ids(uuid)');
    this.addSql('drop function portal_access_enabled(uuid)');
  }
}
