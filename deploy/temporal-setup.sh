#!/bin/sh
# Registers the default namespace and the search attributes cordon uses (see domain/search-attributes.ts).
set -eu
temporal operator namespace describe default >/dev/null 2>&1 || temporal operator namespace create --retention 90d default
for sa in CordonSeverity=Keyword CordonPackages=KeywordList CordonPhase=Keyword CordonStatus=Keyword CordonOrg=Keyword; do
  temporal operator search-attribute create --namespace default --name "${sa%%=*}" --type "${sa#*=}" || true
done
