{{- define "lookup.existingPassword" -}}
{{- $secret := lookup "v1" "Secret" .Release.Namespace (printf "%s-auth" .Release.Name) -}}
{{- if $secret -}}
{{- index $secret.data "password" -}}
{{- else -}}
{{- "generated" | b64enc -}}
{{- end -}}
{{- end -}}
