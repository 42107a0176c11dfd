import { Migration } from '@mikro-orm/migrations';

/**
 * Which owners' items (documents, document requests) a contact sees, beside which projects and
 * sites it may navigate (DESIGN, "owners above the project level are visible more narrowly"):
 * - account-level items: the accounts it reaches, only with a grant on "all" and no site of its own;
 * - site-level items: a site of those accounts when the grant is "all" (a site-level contact: its
 *   own site) or the site itself is selected. Unlike `visible_site_ids`, a selected project never
 *   opens its site's items.
 * Project-level items follow `visible_project_ids` unchanged.
 */
export class ItemOwnerVisibilityMigration extends Migration {
  static migrationName = '20261201200000_item_owner_visibility';

  override up(): void {
    this.addSql(`
      create function visible_item_account_ids(contact_id uuid) returns setof uuid
      language sql stable set search_path from current as $$
        select va.id
        from contact c
        join visible_account_ids(visible_item_account_ids.contact_id) as va (id) on true
        where c.id = visible_item_account_ids.contact_id
          and c.access_scope = 'all'
          and c.site_id is null
      $$ rows 5`);
    this.addSql(`
      create function visible_item_site_ids(contact_id uuid) returns setof uuid
      language sql stable set search_path from current as $$
        select s.id
        from contact c
        join visible_account_ids(visible_item_site_ids.contact_id) as va (id) on true
        join site s on s.account_id = va.id
        where c.id = visible_item_site_ids.contact_id
          and s.archived_at is null
          and (c.site_id is null or s.id = c.site_id)
          and (
            c.access_scope = 'all'
            or exists (select 1 from access_scope_site ss where ss.contact_id = c.id and ss.site_id = s.id)
          )
      $$ rows 50`);
  }

  override down(): void {
    this.addSql('drop function visible_item_site_ids(uuid)');
    this.addSql('drop function visible_item_account_ids(uuid)');
  }
}
