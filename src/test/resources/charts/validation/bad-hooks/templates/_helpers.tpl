{{/* Hook annotations emitted by a named template, as many charts do. */}}
{{- define "bad-hooks.hookAnnotations" -}}
helm.sh/hook: post-uninstall
helm.sh/hook-weight: {{ .Values.helperWeight | quote }}
{{- end }}
