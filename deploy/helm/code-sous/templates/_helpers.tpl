{{/* The release's base name, at most 63 characters with room for a role suffix. */}}
{{- define "code-sous.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "code-sous.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "code-sous.labels" -}}
{{ include "code-sous.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "code-sous.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "code-sous.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "code-sous.secretName" -}}
{{- if .Values.secrets.create.enabled -}}
{{- printf "%s-keys" (include "code-sous.fullname" .) -}}
{{- else -}}
{{- required "secrets.existingSecret: name the Secret with signing-key.jwk and secrets-key, or set secrets.create.enabled" .Values.secrets.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* The headless Service through which clustered pods find each other. */}}
{{- define "code-sous.clusterService" -}}
{{- printf "%s-cluster" (include "code-sous.fullname" .) -}}
{{- end -}}

{{/* The port probes and Prometheus use: the management port when set, else the API port. */}}
{{/*
"true" when the scheduler elects its leader through a Kubernetes Lease (roles.scheduler.lease.enabled, or
scheduler.election: kubernetes in its config), else empty: the Lease RBAC, the service account token and the
rendered election settings follow this one answer.
*/}}
{{- define "code-sous.schedulerLease" -}}
{{- $scheduler := .Values.roles.scheduler -}}
{{- if and $scheduler $scheduler.enabled -}}
{{- $config := default (dict) $scheduler.config -}}
{{- if or (and $scheduler.lease $scheduler.lease.enabled) (eq "kubernetes" (toString (default (dict) $config.scheduler).election)) -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{- define "code-sous.probePort" -}}
{{- if .Values.management.port -}}management{{- else -}}http{{- end -}}
{{- end -}}

{{/*
One role's cs.yaml: the shared `config`, the role's `config` over it, then what the chart owns
(bind address, ports, data directory, components, cluster membership). Call with
(dict "root" $ "name" $name "role" $role).
*/}}
{{- define "code-sous.csYaml" -}}
{{- $root := .root -}}
{{- $role := .role -}}
{{- $owned := dict "host" "0.0.0.0" "port" (int $root.Values.apiPort) "dataDir" "/var/lib/code-sous" "components" $role.components -}}
{{- if $role.cluster -}}
{{- $service := printf "%s.%s.svc.cluster.local" (include "code-sous.clusterService" $root) $root.Release.Namespace -}}
{{- $_ := set $owned "cluster" (dict "enabled" true "port" (int $root.Values.cluster.port) "eventBusPort" (int $root.Values.cluster.eventBusPort) "kubernetesServiceDns" $service) -}}
{{- end -}}
{{- if $root.Values.management.port -}}
{{- $_ := set $owned "management" (dict "host" "0.0.0.0" "port" (int $root.Values.management.port)) -}}
{{- end -}}
{{- if and (eq .name "scheduler") (include "code-sous.schedulerLease" $root) -}}
{{- $election := dict "namespace" $root.Release.Namespace "leaseName" (printf "%s-scheduler" (include "code-sous.fullname" $root)) -}}
{{- $_ := set $owned "scheduler" (mustMergeOverwrite (deepCopy (default (dict) (default (dict) $role.config).scheduler)) (dict "election" "kubernetes" "kubernetes" $election)) -}}
{{- end -}}
{{- toYaml (mustMergeOverwrite (deepCopy $root.Values.config) (deepCopy (default (dict) $role.config)) $owned) -}}
{{- end -}}
