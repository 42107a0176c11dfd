{{/* Names ------------------------------------------------------------------------------------ */}}

{{- define "customer-portal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "customer-portal.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* A process's resource name: `<fullname>-<process>` (processes: the six services or all-in-one). */}}
{{- define "customer-portal.processName" -}}
{{- printf "%s-%s" (include "customer-portal.fullname" .root) .process | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "customer-portal.generatedSecretName" -}}
{{- printf "%s-generated" (include "customer-portal.fullname" .) -}}
{{- end -}}

{{/* The bundled dependencies' names: the CloudNativePG Cluster (its Services add `-rw`, `-ro`) and Keycloak. */}}
{{- define "customer-portal.postgresqlClusterName" -}}
{{- printf "%s-postgresql" (include "customer-portal.fullname" .) | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{- define "customer-portal.keycloakName" -}}
{{- printf "%s-keycloak" (include "customer-portal.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "customer-portal.clamdName" -}}
{{- printf "%s-clamd" (include "customer-portal.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Where the documents service reaches clamd: the bundled one's Service, or `clamd.url`. */}}
{{- define "customer-portal.clamdUrl" -}}
{{- if .Values.clamd.bundled.enabled -}}
{{- printf "tcp://%s:%d" (include "customer-portal.clamdName" .) (int .Values.clamd.port) -}}
{{- else -}}
{{- .Values.clamd.url -}}
{{- end -}}
{{- end -}}

{{/* Where the services reach Keycloak: the bundled one's Service, or `keycloak.url`. */}}
{{- define "customer-portal.keycloakUrl" -}}
{{- if .Values.keycloak.bundled.enabled -}}
{{- printf "http://%s:8080" (include "customer-portal.keycloakName" .) -}}
{{- else -}}
{{- .Values.keycloak.url -}}
{{- end -}}
{{- end -}}

{{/*
The database roles of the bundled PostgreSQL cluster, as JSON: one per service (whichever mode
runs, so switching modes keeps the data), and Keycloak's when it is bundled too.
*/}}
{{- define "customer-portal.databaseRoles" -}}
{{- $roles := list "gateway" "identity" "directory" "documents" "submittals" "notifications" -}}
{{- if .Values.keycloak.bundled.enabled -}}{{- $roles = append $roles "keycloak" -}}{{- end -}}
{{- toJson $roles -}}
{{- end -}}

{{- define "customer-portal.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "customer-portal.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Labels ----------------------------------------------------------------------------------- */}}

{{- define "customer-portal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "customer-portal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "customer-portal.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "customer-portal.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: customer-portal
{{- end -}}

{{/* One process's selector labels: the release's plus its component. */}}
{{- define "customer-portal.processSelectorLabels" -}}
{{ include "customer-portal.selectorLabels" .root }}
app.kubernetes.io/component: {{ .process }}
{{- end -}}

{{/* Processes -------------------------------------------------------------------------------- */}}

{{/*
The processes this release runs, as a JSON list of names: the enabled services, or `all-in-one`.
Every per-process template ranges over this list, so a service is added in one place (values).
*/}}
{{- define "customer-portal.processes" -}}
{{- $names := list -}}
{{- if eq .Values.mode "all-in-one" -}}
{{- $names = list "all-in-one" -}}
{{- else -}}
{{- range $name := list "gateway" "identity" "directory" "documents" "submittals" "notifications" -}}
{{- if (index $.Values.services $name).enabled -}}
{{- $names = append $names $name -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $names -}}
{{- end -}}

{{/* The services a process runs: itself, or all six for all-in-one. */}}
{{- define "customer-portal.servicesOf" -}}
{{- if eq .process "all-in-one" -}}
{{- toJson (list "gateway" "identity" "directory" "documents" "submittals" "notifications") -}}
{{- else -}}
{{- toJson (list .process) -}}
{{- end -}}
{{- end -}}

{{/* Whether a process serves HTTP (the gateway, alone or inside all-in-one). */}}
{{- define "customer-portal.servesHttp" -}}
{{- if or (eq .process "gateway") (eq .process "all-in-one") -}}true{{- end -}}
{{- end -}}

{{/*
A process's effective settings as JSON: replicas, resources and autoscaling, the service's own
values over `defaults` (all-in-one has its own replicas and resources).
*/}}
{{- define "customer-portal.settingsOf" -}}
{{- $defaults := .root.Values.defaults -}}
{{- if eq .process "all-in-one" -}}
{{- toJson (dict "replicas" .root.Values.allInOne.replicas "resources" .root.Values.allInOne.resources "autoscaling" (dict "enabled" false) "env" (dict)) -}}
{{- else -}}
{{- $own := index .root.Values.services .process -}}
{{- $replicas := $defaults.replicas -}}
{{- if not (kindIs "invalid" $own.replicas) -}}{{- $replicas = $own.replicas -}}{{- end -}}
{{- $resources := $defaults.resources -}}
{{- if not (kindIs "invalid" $own.resources) -}}{{- $resources = $own.resources -}}{{- end -}}
{{- /* Key by key: sprig's merge would let a default `true` win over the service's own `false`. */ -}}
{{- $autoscaling := deepCopy $defaults.autoscaling -}}
{{- range $key, $value := default (dict) $own.autoscaling -}}
{{- $_ := set $autoscaling $key $value -}}
{{- end -}}
{{- toJson (dict "replicas" $replicas "resources" $resources "autoscaling" $autoscaling "env" (default (dict) $own.env)) -}}
{{- end -}}
{{- end -}}

{{/* Whether a process may run more than one pod (several replicas or an autoscaler). */}}
{{- define "customer-portal.isReplicated" -}}
{{- $settings := include "customer-portal.settingsOf" . | fromJson -}}
{{- if or $settings.autoscaling.enabled (gt (int $settings.replicas) 1) -}}true{{- end -}}
{{- end -}}

{{- define "customer-portal.image" -}}
{{- $image := .root.Values.image -}}
{{- $repository := printf "%s/%s%s" $image.registry $image.repositoryPrefix .process -}}
{{- $digest := index $image.digestByService .process | default "" -}}
{{- if $digest -}}
{{- printf "%s@%s" $repository $digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (default .root.Chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Secrets ---------------------------------------------------------------------------------- */}}

{{/*
An env entry read from a Secret: the operator's `existing` Secret under `key`, or else the
chart's generated Secret under `generatedKey`.
*/}}
{{- define "customer-portal.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      {{- if .existing }}
      name: {{ .existing }}
      key: {{ .key }}
      {{- else }}
      name: {{ include "customer-portal.generatedSecretName" .root }}
      key: {{ .generatedKey }}
      {{- end }}
{{- end -}}

{{/*
The secret environment of a process: only what its services read, so a compromised pod of one
service holds no other service's database role or keys (all-in-one gets the union, each once).
*/}}
{{- define "customer-portal.secretEnvOf" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $services := .services -}}
{{- range $service := $services }}
{{ include "customer-portal.secretEnv" (dict "root" $root "name" (printf "%s_DATABASE_URL" (upper $service)) "existing" $v.postgresql.existingSecret "key" $service "generatedKey" (printf "database-%s" $service)) }}
{{- end }}
{{- if has "gateway" $services }}
{{ include "customer-portal.secretEnv" (dict "root" $root "name" "GATEWAY_SESSION_SECRET" "existing" $v.gateway.session.existingSecret "key" "session-secret" "generatedKey" "session-secret") }}
{{- end }}
{{- if or (has "gateway" $services) (has "identity" $services) }}
{{ include "customer-portal.secretEnv" (dict "root" $root "name" "KEYCLOAK_GATEWAY_CLIENT_SECRET" "existing" $v.keycloak.clients.existingSecret "key" "gateway" "generatedKey" "keycloak-gateway-client-secret") }}
{{- end }}
{{- if has "identity" $services }}
{{ include "customer-portal.secretEnv" (dict "root" $root "name" "KEYCLOAK_IDENTITY_CLIENT_SECRET" "existing" $v.keycloak.clients.existingSecret "key" "identity" "generatedKey" "keycloak-identity-client-secret") }}
{{ include "customer-portal.secretEnv" (dict "root" $root "name" "KEYCLOAK_ADMIN_USERNAME" "existing" $v.keycloak.admin.existingSecret "key" "username" "generatedKey" "keycloak-admin-username") }}
{{ include "customer-portal.secretEnv" (dict "root" $root "name" "KEYCLOAK_ADMIN_PASSWORD" "existing" $v.keycloak.admin.existingSecret "key" "password" "generatedKey" "keycloak-admin-password") }}
{{- end }}
{{- if or (has "identity" $services) (has "notifications" $services) }}
{{ include "customer-portal.secretEnv" (dict "root" $root "name" "SMTP_URL" "existing" $v.smtp.existingSecret "key" "url" "generatedKey" "smtp-url") }}
{{- end }}
{{- if has "notifications" $services }}
{{ include "customer-portal.secretEnv" (dict "root" $root "name" "NOTIFICATIONS_UNSUBSCRIBE_SECRET" "existing" $v.notifications.unsubscribe.existingSecret "key" "unsubscribe-secret" "generatedKey" "unsubscribe-secret") }}
{{- end }}
{{- if has "documents" $services }}
{{ include "customer-portal.secretEnv" (dict "root" $root "name" "S3_ACCESS_KEY" "existing" $v.s3.existingSecret "key" "access-key" "generatedKey" "s3-access-key") }}
{{ include "customer-portal.secretEnv" (dict "root" $root "name" "S3_SECRET_KEY" "existing" $v.s3.existingSecret "key" "secret-key" "generatedKey" "s3-secret-key") }}
{{- end }}
{{- end -}}

{{/* A random key, or the one this release's generated Secret already holds (kept across upgrades). */}}
{{- define "customer-portal.keptRandom" -}}
{{- if hasKey .previous .key -}}{{- index .previous .key | b64dec -}}{{- else -}}{{- randAlphaNum 48 -}}{{- end -}}
{{- end -}}

{{/* The dependencies a service talks to besides NATS and PostgreSQL (every service has those). */}}
{{- define "customer-portal.dependenciesOf" -}}
{{- $needs := dict
  "gateway" (list "keycloak")
  "identity" (list "keycloak" "smtp")
  "directory" (list)
  "documents" (list "s3" "clamd")
  "submittals" (list)
  "notifications" (list "smtp") -}}
{{- $all := list -}}
{{- range $service := include "customer-portal.servicesOf" . | fromJsonArray -}}
{{- $all = concat $all (index $needs $service) -}}
{{- end -}}
{{- toJson (uniq $all) -}}
{{- end -}}

{{/*
The peers a process may reach a dependency at, as JSON: the operator's `networkPolicy.egress`
list, else the bundled dependency's own pods, else none (any address on the dependency's ports).
*/}}
{{- define "customer-portal.egressPeers" -}}
{{- $v := .root.Values -}}
{{- $given := index $v.networkPolicy.egress .dependency | default list -}}
{{- $bundled := dict "postgresql" $v.postgresql.cluster.enabled "keycloak" $v.keycloak.bundled.enabled "clamd" $v.clamd.bundled.enabled -}}
{{- if $given -}}
{{- toJson $given -}}
{{- else if index $bundled .dependency -}}
{{- $labels := dict -}}
{{- if eq .dependency "postgresql" -}}
{{- /* CloudNativePG labels its instances with their cluster. */ -}}
{{- $labels = dict "cnpg.io/cluster" (include "customer-portal.postgresqlClusterName" .root) -}}
{{- else -}}
{{- $labels = include "customer-portal.selectorLabels" .root | fromYaml -}}
{{- $_ := set $labels "app.kubernetes.io/component" .dependency -}}
{{- end -}}
{{- toJson (list (dict "podSelector" (dict "matchLabels" $labels))) -}}
{{- else -}}
{{- toJson list -}}
{{- end -}}
{{- end -}}

{{/* Config and secrets -------------------------------------------------------------------- */}}

{{/* The ConfigMap's data (also hashed into each pod's checksum/config annotation). */}}
{{- define "customer-portal.configData" -}}
NATS_URL: {{ include "customer-portal.natsUrl" . | quote }}
LOG_LEVEL: {{ .Values.logLevel | quote }}
{{- with .Values.tracing.otlpEndpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
OTEL_TRACES_SAMPLER_ARG: {{ $.Values.tracing.samplerRatio | toString | quote }}
{{- end }}
HEALTH_PORT: {{ .Values.healthPort | quote }}
PORTAL_PUBLIC_URL: {{ .Values.publicUrl | quote }}
PORTAL_PRODUCT_NAME: {{ .Values.branding.productName | quote }}
PORTAL_PRIMARY_COLOR: {{ .Values.branding.primaryColor | quote }}
{{- with .Values.branding.logoUrl }}
PORTAL_LOGO_URL: {{ . | quote }}
{{- end }}
KEYCLOAK_URL: {{ include "customer-portal.keycloakUrl" . | quote }}
KEYCLOAK_PUBLIC_URL: {{ default (include "customer-portal.keycloakUrl" .) .Values.keycloak.publicUrl | quote }}
GATEWAY_PORT: "8080"
GATEWAY_TRUSTED_PROXIES: {{ .Values.gateway.trustedProxies | quote }}
S3_ENDPOINT: {{ .Values.s3.endpoint | quote }}
S3_PUBLIC_ENDPOINT: {{ default .Values.s3.endpoint .Values.s3.publicEndpoint | quote }}
S3_REGION: {{ .Values.s3.region | quote }}
S3_BUCKET: {{ .Values.s3.bucket | quote }}
CLAMD_URL: {{ include "customer-portal.clamdUrl" . | quote }}
NOTIFICATIONS_MAIL_FROM: {{ .Values.smtp.from | quote }}
{{- with .Values.smtp.identityFrom }}
IDENTITY_MAIL_FROM: {{ . | quote }}
{{- end }}
{{- end -}}

{{/*
The generated Secret's data as JSON (key → plain value): what the operator did not bring in an
`existingSecret`. Random keys are read back from the release's Secret, so they survive upgrades.
*/}}
{{- define "customer-portal.generatedSecretData" -}}
{{- $v := .Values -}}
{{- $name := include "customer-portal.generatedSecretName" . -}}
{{- $previous := (lookup "v1" "Secret" .Release.Namespace $name).data | default dict -}}
{{- $processes := include "customer-portal.processes" . | fromJsonArray -}}
{{- $services := list -}}
{{- range $process := $processes -}}
{{- $services = concat $services (include "customer-portal.servicesOf" (dict "root" $ "process" $process) | fromJsonArray) -}}
{{- end -}}
{{- $data := dict -}}
{{- if $v.postgresql.cluster.enabled -}}
{{- if $v.postgresql.existingSecret -}}
{{- fail "postgresql.cluster.enabled makes each service's role and URL itself: leave postgresql.existingSecret empty" -}}
{{- end -}}
{{- /* One password per role, kept across upgrades; the URLs point at the cluster's read-write Service. */ -}}
{{- $host := printf "%s-rw" (include "customer-portal.postgresqlClusterName" .) -}}
{{- range $role := include "customer-portal.databaseRoles" . | fromJsonArray -}}
{{- $password := include "customer-portal.keptRandom" (dict "previous" $previous "key" (printf "postgresql-password-%s" $role)) -}}
{{- $_ := set $data (printf "postgresql-password-%s" $role) $password -}}
{{- if has $role $services -}}
{{- $_ := set $data (printf "database-%s" $role) (printf "postgres://%s:%s@%s:%d/portal" $role $password $host (int $v.postgresql.port)) -}}
{{- end -}}
{{- end -}}
{{- else if not $v.postgresql.existingSecret -}}
{{- range $service := $services -}}
{{- $url := index $v.postgresql.urls $service | default "" -}}
{{- $_ := set $data (printf "database-%s" $service) (required (printf "postgresql.urls.%s is required when postgresql.existingSecret is empty" $service) $url) -}}
{{- end -}}
{{- end -}}
{{- if and (has "gateway" $services) (not $v.gateway.session.existingSecret) -}}
{{- $_ := set $data "session-secret" (include "customer-portal.keptRandom" (dict "previous" $previous "key" "session-secret")) -}}
{{- end -}}
{{- if and (or (has "gateway" $services) (has "identity" $services)) (not $v.keycloak.clients.existingSecret) -}}
{{- $_ := set $data "keycloak-gateway-client-secret" (include "customer-portal.keptRandom" (dict "previous" $previous "key" "keycloak-gateway-client-secret")) -}}
{{- $_ := set $data "keycloak-identity-client-secret" (include "customer-portal.keptRandom" (dict "previous" $previous "key" "keycloak-identity-client-secret")) -}}
{{- end -}}
{{- if and $v.keycloak.bundled.enabled (not $v.keycloak.admin.existingSecret) -}}
{{- /* The bundled Keycloak's bootstrap administrator is the one identity reconciles the realms with. */ -}}
{{- $_ := set $data "keycloak-admin-username" (default "admin" $v.keycloak.admin.username) -}}
{{- $_ := set $data "keycloak-admin-password" (default (include "customer-portal.keptRandom" (dict "previous" $previous "key" "keycloak-admin-password")) $v.keycloak.admin.password) -}}
{{- else if and (has "identity" $services) (not $v.keycloak.admin.existingSecret) -}}
{{- $_ := set $data "keycloak-admin-username" (required "keycloak.admin.username is required when keycloak.admin.existingSecret is empty" $v.keycloak.admin.username) -}}
{{- $_ := set $data "keycloak-admin-password" (required "keycloak.admin.password is required when keycloak.admin.existingSecret is empty" $v.keycloak.admin.password) -}}
{{- end -}}
{{- if and (or (has "identity" $services) (has "notifications" $services)) (not $v.smtp.existingSecret) -}}
{{- $_ := set $data "smtp-url" (required "smtp.url is required when smtp.existingSecret is empty" $v.smtp.url) -}}
{{- end -}}
{{- if and (has "notifications" $services) (not $v.notifications.unsubscribe.existingSecret) -}}
{{- $_ := set $data "unsubscribe-secret" (include "customer-portal.keptRandom" (dict "previous" $previous "key" "unsubscribe-secret")) -}}
{{- end -}}
{{- if and (has "documents" $services) (not $v.s3.existingSecret) -}}
{{- $_ := set $data "s3-access-key" (required "s3.accessKey is required when s3.existingSecret is empty" $v.s3.accessKey) -}}
{{- $_ := set $data "s3-secret-key" (required "s3.secretKey is required when s3.existingSecret is empty" $v.s3.secretKey) -}}
{{- end -}}
{{- toJson $data -}}
{{- end -}}

{{/* A migration Job container: the process's image with `--migrate-only` and its database URLs alone. */}}
{{- define "customer-portal.migrationContainer" -}}
{{- $v := .root.Values -}}
- name: {{ .process }}
  image: {{ include "customer-portal.image" . | quote }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  args: ["--migrate-only"]
  securityContext:
    {{- toYaml $v.containerSecurityContext | nindent 4 }}
  env:
    - name: LOG_LEVEL
      value: {{ $v.logLevel | quote }}
    {{- range $service := include "customer-portal.servicesOf" . | fromJsonArray }}
    {{- include "customer-portal.secretEnv" (dict "root" $.root "name" (printf "%s_DATABASE_URL" (upper $service)) "existing" $v.postgresql.existingSecret "key" $service "generatedKey" (printf "database-%s" $service)) | nindent 4 }}
    {{- end }}
  resources:
    {{- toYaml $v.migrations.resources | nindent 4 }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
{{- end -}}
