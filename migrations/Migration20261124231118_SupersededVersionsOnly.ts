import { Migration } from '@mikro-orm/migrations';

/**
 * The current version of a resource is kept once, in fhir_resource, with who wrote it;
 * fhir_resource_version keeps only the versions a later one replaced (fhir-resource.entity.ts).
 * The version index by (resource_type, last_updated) served no read.
 */
export class Migration20261124231118_SupersededVersionsOnly extends Migration {
  override name = 'Migration20261124231118_SupersededVersionsOnly';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "fhir_resource" add "actor" varchar(100) null, add "request_id" varchar(100) null;`,
    );
    // Rows with no writer recorded (seeded registers) stay as they are: their new columns are null.
    this.addSql(`
      update fhir_resource f set actor = v.actor, request_id = v.request_id
        from fhir_resource_version v
       where v.resource_type = f.resource_type and v.id = f.id and v.version_id = f.version_id
         and (v.actor is not null or v.request_id is not null);`);
    this.addSql(`
      delete from fhir_resource_version v using fhir_resource f
       where v.resource_type = f.resource_type and v.id = f.id and v.version_id = f.version_id;`);
    this.addSql(`drop index "fhir_resource_version_resource_type_last_updated_index";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`
      insert into fhir_resource_version (resource_type, id, version_id, last_updated, deleted, content, actor, request_id)
      select resource_type, id, version_id, last_updated, deleted, content, actor, request_id from fhir_resource;`);
    this.addSql(`alter table "fhir_resource" drop column "actor", drop column "request_id";`);
    this.addSql(
      `create index "fhir_resource_version_resource_type_last_updated_index" on "fhir_resource_version" ("resource_type", "last_updated");`,
    );
  }
}
