#!/bin/sh
# First-start provisioning for docker-compose: one role and one schema per service (no access across
# schemas), and Keycloak's own database. Mirrors provisionServiceSchemas() in deploy/local/postgres.ts.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE portal FROM PUBLIC;
SQL
for service in gateway identity directory documents submittals notifications; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE ${service} LOGIN PASSWORD '${service}-compose';
GRANT CONNECT ON DATABASE portal TO ${service};
CREATE SCHEMA ${service} AUTHORIZATION ${service};
ALTER ROLE ${service} SET search_path = ${service};
SQL
done
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE keycloak LOGIN PASSWORD 'keycloak-compose';
CREATE DATABASE keycloak OWNER keycloak;
SQL
