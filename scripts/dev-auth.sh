# Shared by run.sh, bench.sh and dev-token.sh: the development signing key. Source it; it defines
# functions only. The key pair lives in .data/dev-jwt/ (the private key readable by its owner only);
# the service is given the public key as Decisioning:Auth:DevelopmentKeyFile, which it accepts only
# while it listens on loopback.

DEV_JWT_DIR="${DEV_JWT_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.data/dev-jwt}"
DEV_JWT_ISSUER="decisioning-dev"
DEV_JWT_AUDIENCE="decisioning"

# Installs Debian's openssl when it is missing (it signs the development tokens).
ensure_openssl() {
  command -v openssl >/dev/null 2>&1 && return 0
  echo "openssl is not installed: installing Debian's openssl" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openssl >/dev/null
  command -v openssl >/dev/null 2>&1 || { echo "could not install openssl" >&2; return 1; }
}

# ensure_dev_key: makes the development RSA key pair on first use. Prints the public key's path.
ensure_dev_key() {
  ensure_openssl
  local private="$DEV_JWT_DIR/dev-signing-key.pem" public="$DEV_JWT_DIR/dev-signing-key.pub.pem"
  if [ ! -s "$private" ] || [ ! -s "$public" ]; then
    mkdir -p "$DEV_JWT_DIR"
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$private" 2>/dev/null)
    openssl pkey -in "$private" -pubout -out "$public"
    echo "made a development signing key in $DEV_JWT_DIR (accepted by the service on loopback only)" >&2
  fi
  echo "$public"
}
