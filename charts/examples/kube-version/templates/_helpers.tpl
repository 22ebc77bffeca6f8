{{- define "kube-version.labels" -}}
app.kubernetes.io/name: kube-version
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
The password: the one already stored in the release's Secret when there is one, so an upgrade
does not change it; a new random one on first install. Offline (helm template, orderly plan)
lookup finds nothing, so a render always shows a new one.
*/}}
{{- define "kube-version.password" -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (printf "%s-auth" .Release.Name) -}}
{{- if and $existing $existing.data (hasKey $existing.data "password") -}}
{{- index $existing.data "password" -}}
{{- else -}}
{{- randAlphaNum 24 | b64enc -}}
{{- end -}}
{{- end -}}
