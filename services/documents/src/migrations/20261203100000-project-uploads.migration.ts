import { Migration } from '@mikro-orm/migrations';

/**
 * Uploads a contact sends to a project outside any request (files of a submittal, marked-up
 * drawings answering one): the upload names the project; finalizing it creates the document.
 * Exactly one of document, request and project is set.
 */
export class ProjectUploadsMigration extends Migration {
  static migrationName = '20261203100000_project_uploads';

  override up(): void {
    this.addSql('alter table upload add column project_id uuid');
    this.addSql('alter table upload drop constraint upload_check');
    this.addSql(
      'alter table upload add constraint upload_one_target check (num_nonnulls(document_id, request_id, project_id) = 1)',
    );
  }

  override down(): void {
    this.addSql('delete from upload where project_id is not null');
    this.addSql('alter table upload drop constraint upload_one_target');
    this.addSql('alter table upload add constraint upload_check check ((document_id is null) <> (request_id is null))');
    this.addSql('alter table upload drop column project_id');
  }
}
