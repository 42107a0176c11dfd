{{/* NATS: the bus every process authenticates to (one NATS user per process). ----------------- */}}

{{/*
Who connects to NATS: each service's process, or the all-in-one process. Each is a NATS user of
that name with its own password, so a leaked password is one process's, replaced on its own.
*/}}
{{- define "customer-portal.natsIdentities" -}}
{{- toJson (list "gateway" "identity" "directory" "documents" "submittals" "notifications" "all-in-one") -}}
{{- end -}}

{{/* The Secret with the passwords: the operator's, or `<release>-nats-auth`. Input: dict release, existing. */}}
{{- define "customer-portal.natsAuthSecretName" -}}
{{- .existing | default (printf "%s-nats-auth" .release) -}}
{{- end -}}

{{/* `all-in-one` → `PORTAL_NATS_PASSWORD_ALL_IN_ONE`: the variable the NATS server reads a password from. */}}
{{- define "customer-portal.natsPasswordVariable" -}}
{{- printf "PORTAL_NATS_PASSWORD_%s" (. | upper | replace "-" "_") -}}
{{- end -}}

{{/* The bundled NATS chart's fullname, as that chart computes it (for the URL and the NetworkPolicy). */}}
{{- define "customer-portal.natsFullname" -}}
{{- $nats := .Values.nats -}}
{{- if $nats.fullnameOverride -}}
{{- $nats.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default "nats" $nats.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The URL the processes connect to: `nats.url`, or the bundled NATS's Service. */}}
{{- define "customer-portal.natsUrl" -}}
{{- if .Values.nats.url -}}
{{- .Values.nats.url -}}
{{- else if .Values.nats.enabled -}}
{{- printf "nats://%s:%v" (include "customer-portal.natsFullname" .) .Values.nats.port -}}
{{- else -}}
{{- fail "nats.url is required when nats.enabled is false (the NATS the processes connect to)" -}}
{{- end -}}
{{- end -}}

{{/* Selector of the bundled NATS pods (the NATS chart's selector labels). */}}
{{- define "customer-portal.natsSelectorLabels" -}}
app.kubernetes.io/name: {{ default "nats" .Values.nats.nameOverride }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: nats
{{- end -}}

{{/*
The NATS server's environment, rendered by the NATS chart in ITS context (`.Values` are the
`nats` values): one variable per identity, read from the auth Secret, that `config.merge`
names as `$PORTAL_NATS_PASSWORD_<IDENTITY>`. The server holds the same Secret the clients read.
*/}}
{{- define "customer-portal.natsServerEnv" -}}
{{- $secret := include "customer-portal.natsAuthSecretName" (dict "release" .Release.Name "existing" .Values.auth.existingSecret) -}}
{{- range $identity := include "customer-portal.natsIdentities" . | fromJsonArray }}
{{ include "customer-portal.natsPasswordVariable" $identity }}:
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $identity }}
{{- end }}
{{- end -}}

{{/* A process's NATS identity: its user, its password from the auth Secret, and the CA for tls://. Input: dict root, process. */}}
{{- define "customer-portal.natsClientEnv" -}}
{{- $nats := .root.Values.nats -}}
- name: NATS_USER
  value: {{ .process | quote }}
- name: NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "customer-portal.natsAuthSecretName" (dict "release" .root.Release.Name "existing" $nats.auth.existingSecret) }}
      key: {{ .process }}
{{- if $nats.tls.caSecret }}
- name: NATS_CA_FILE
  value: {{ printf "/etc/portal/nats-ca/%s" $nats.tls.caKey | quote }}
{{- end }}
{{- end -}}
