#!/usr/bin/env bash
# Prints a development bearer token (RS256 JWT) signed with the key that ./run.sh makes and accepts
# on loopback only. Every call to Decisioning needs one:
#   scripts/dev-token.sh --subject channel-app --scopes "credit.read credit.draw" --enterprises "91350100M000100Y43"
#   scripts/dev-token.sh --subject officer-li --scopes "credit.admin credit.read" --enterprises '*' --ttl 8h
# Scopes: credit.read credit.draw credit.repay credit.admin decisioning.assess decisioning.supply-data
# decisioning.consent risk.signal decisioning.events decisioning.review. --enterprises '*' serves every enterprise (bank staff). --ttl: 30s, 15m, 1h (default), 2d.
set -euo pipefail
. "$(dirname "$0")/dev-auth.sh"

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

subject="" scopes="" enterprises="" ttl="1h"
while [ $# -gt 0 ]; do
  case "$1" in
    --subject) subject="${2:-}"; shift 2 ;;
    --scopes) scopes="${2:-}"; shift 2 ;;
    --enterprises) enterprises="${2:-}"; shift 2 ;;
    --ttl) ttl="${2:-}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "dev-token: unknown argument $1" >&2; usage ;;
  esac
done

# Only characters that need no escaping in JSON: the token is assembled by hand.
[[ "$subject" =~ ^[A-Za-z0-9._@:-]{1,128}$ ]] || { echo "dev-token: --subject must be 1-128 of A-Z a-z 0-9 . _ @ : -" >&2; exit 2; }
[[ "$scopes" =~ ^[a-z.\ -]+$ ]] || { echo "dev-token: --scopes must be scope names separated by spaces" >&2; exit 2; }
[[ "$enterprises" =~ ^[0-9A-Z*\ ]+$ ]] || { echo "dev-token: --enterprises must be credit codes separated by spaces, or '*'" >&2; exit 2; }
case "$ttl" in
  *s) seconds="${ttl%s}" ;;
  *m) seconds=$(( ${ttl%m} * 60 )) ;;
  *h) seconds=$(( ${ttl%h} * 3600 )) ;;
  *d) seconds=$(( ${ttl%d} * 86400 )) ;;
  *) echo "dev-token: --ttl must be like 30s, 15m, 1h or 2d" >&2; exit 2 ;;
esac
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "dev-token: --ttl must be positive" >&2; exit 2; }

set -f  # --enterprises "*" is a word, not a glob
ensure_dev_key >/dev/null
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
list=$(printf '%s\n' $enterprises | sed 's/.*/"&"/' | paste -sd, -)
header=$(printf '{"alg":"RS256","typ":"JWT","kid":"dev-signing-key.pub"}' | b64url)
payload=$(printf '{"iss":"%s","aud":"%s","sub":"%s","scope":"%s","enterprises":[%s],"iat":%d,"nbf":%d,"exp":%d}' \
  "$DEV_JWT_ISSUER" "$DEV_JWT_AUDIENCE" "$subject" "$(echo $scopes)" "$list" "$now" "$now" "$((now + seconds))" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$DEV_JWT_DIR/dev-signing-key.pem" -binary | b64url)
echo "$header.$payload.$signature"
