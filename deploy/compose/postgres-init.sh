#!/bin/sh
# First-start provisioning for docker-compose: one role and one schema per service (no access across
# schemas), and Keycloak's own database. Mirrors provisionServiceSchemas() in deploy/local/postgres.ts.
# The passwords come from the container's environment (docker-compose.yml, from `.env`).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE portal FROM PUBLIC;
SQL
for service in gateway identity directory documents submittals notifications; do
  password=$(printenv "$(echo "$service" | tr a-z A-Z)_DB_PASSWORD")
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE ${service} LOGIN PASSWORD '${password}';
GRANT CONNECT ON DATABASE portal TO ${service};
CREATE SCHEMA ${service} AUTHORIZATION ${service};
ALTER ROLE ${service} SET search_path = ${service};
SQL
done
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE keycloak LOGIN PASSWORD '${KEYCLOAK_DB_PASSWORD}';
CREATE DATABASE keycloak OWNER keycloak;
SQL
