#!/usr/bin/env bash
# up.sh - bring up ledgergate's docker-free Hyperledger Fabric v2.5.9 test
# network on 127.0.0.1, in one command:
#   1 etcdraft orderer (channel participation API, no system channel)
#   2 peer orgs, one peer each, TLS everywhere, Gateway service on:
#       CustomsMSP (peer0.customs.example.com)  PartnerMSP (peer0.partner.example.com)
#   the records chaincode (./chaincode, ledgergate's schema package inside)
#   running as a chaincode-as-a-service process, endorsement policy
#   AND('CustomsMSP.peer','PartnerMSP.peer')
#   a partner's own chaincode, originreg (./partnercc: a Mexican exporter's
#   certificate-of-origin register with its own JSON shape and events, which
#   the gateway watches), as a second service on the same channel, policy
#   OR('PartnerMSP.peer')
# and writes $NET_DIR/connection.json (+ env.sh) for tests and clients.
#
# Fabric (peer, orderer, osnadmin, configtxgen, cryptogen) is built from the
# Go module proxy at the v2.5.9 release commit, pinned by build/go.sum, and
# cached in $CACHE_DIR/2.5.9-<go.sum hash>/bin.
#
# Idempotent: when the network recorded in $NET_DIR is already running, it
# says so and exits 0. Stop with ./down.sh (kills exactly the recorded PIDs).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# ---- knobs -------------------------------------------------------------------
CACHE_DIR=${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ledgergate/fabric}
NET_DIR=${NET_DIR:-$CACHE_DIR/run}
FABRIC_VERSION=2.5.9
FABRIC_COMMIT=7c3876255bf0
BUILD_KEY=$(sha256sum "$HERE/build/go.sum" | cut -c1-12)
FABRIC_BIN=${FABRIC_BIN:-$CACHE_DIR/$FABRIC_VERSION-$BUILD_KEY/bin}
CHANNEL=${CHANNEL:-customs}
CC_NAME=${CC_NAME:-records}
BATCH_TIMEOUT=${BATCH_TIMEOUT:-100ms}
BATCH_MAX=${BATCH_MAX:-100}
ORDERER_PORT=${ORDERER_PORT:-17050}
ORDERER_ADMIN_PORT=${ORDERER_ADMIN_PORT:-17053}
ORDERER_OPS_PORT=${ORDERER_OPS_PORT:-17443}
CUSTOMS_PORT=${CUSTOMS_PORT:-17051}; CUSTOMS_CC_PORT=${CUSTOMS_CC_PORT:-17052}; CUSTOMS_OPS_PORT=${CUSTOMS_OPS_PORT:-17444}
PARTNER_PORT=${PARTNER_PORT:-17061}; PARTNER_CC_PORT=${PARTNER_CC_PORT:-17062}; PARTNER_OPS_PORT=${PARTNER_OPS_PORT:-17445}
CC_PORT=${CC_PORT:-17099}
PCC_NAME=${PCC_NAME:-originreg}; PCC_PORT=${PCC_PORT:-17098}
export FABRIC_LOGGING_SPEC=${FABRIC_LOGGING_SPEC:-info}

T0=$(date +%s)
log() { printf '[fabric-testnet %s] %s\n' "$(date +%T)" "$*"; }
die() { printf '[fabric-testnet] ERROR: %s\n' "$*" >&2; exit 1; }
command -v go >/dev/null || die "go not found"

running() { readlink "/proc/$1/exe" >/dev/null 2>&1; }
if [[ -f $NET_DIR/pids && -f $NET_DIR/connection.json ]]; then
  all=1 any=0
  while read -r _ pid _; do if running "$pid"; then any=1; else all=0; fi; done <"$NET_DIR/pids"
  if ((all == 1 && any == 1)); then
    grep -q "\"partnerChaincode\": \"$PCC_NAME\"" "$NET_DIR/connection.json" \
      || die "the network in $NET_DIR runs without the partner chaincode $PCC_NAME (an older up.sh started it); run $HERE/down.sh, then $0"
    log "already running ($NET_DIR/connection.json)"; exit 0
  fi
  if ((any == 1)); then die "network in $NET_DIR is partly running; run $HERE/down.sh first"; fi
fi
for p in $ORDERER_PORT $ORDERER_ADMIN_PORT $ORDERER_OPS_PORT $CUSTOMS_PORT $CUSTOMS_CC_PORT $CUSTOMS_OPS_PORT \
         $PARTNER_PORT $PARTNER_CC_PORT $PARTNER_OPS_PORT $CC_PORT $PCC_PORT; do
  if (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then die "port $p on 127.0.0.1 is already in use"; fi
done
case $NET_DIR in /|"$HOME"|"") die "refusing NET_DIR=$NET_DIR";; esac
if [[ -d $NET_DIR && -n $(ls -A "$NET_DIR") && ! -e $NET_DIR/.ledgergate-fabric ]]; then
  die "$NET_DIR is not empty and was not created by up.sh; refusing to wipe it"
fi
rm -rf "$NET_DIR"
mkdir -p "$NET_DIR"/{bin,config,logs,data,cc-pkg}
touch "$NET_DIR/.ledgergate-fabric"
: >"$NET_DIR/pids"
trap 'rc=$?; if ((rc != 0)) && [[ ${KEEP_ON_FAIL:-0} != 1 ]]; then
        echo "[fabric-testnet] failed (rc=$rc); stopping what was started; logs in $NET_DIR/logs" >&2
        NET_DIR=$NET_DIR "$HERE/down.sh" >&2 || true; fi' EXIT

# ---- 1. build (cached) ---------------------------------------------------------
if [[ ! -x $FABRIC_BIN/peer || ! -x $FABRIC_BIN/orderer || ! -x $FABRIC_BIN/osnadmin || ! -x $FABRIC_BIN/configtxgen || ! -x $FABRIC_BIN/cryptogen ]]; then
  log "building Fabric $FABRIC_VERSION into $FABRIC_BIN (a few minutes cold; cached afterwards)"
  mkdir -p "$FABRIC_BIN.tmp"
  ldflags="-X github.com/hyperledger/fabric/common/metadata.Version=$FABRIC_VERSION -X github.com/hyperledger/fabric/common/metadata.CommitSHA=$FABRIC_COMMIT"
  # build/go.sum pins every module hash; -mod=readonly refuses anything unpinned
  (cd "$HERE/build" && GOFLAGS=-mod=readonly go build -trimpath -ldflags "$ldflags" -o "$FABRIC_BIN.tmp/" \
      github.com/hyperledger/fabric/cmd/peer github.com/hyperledger/fabric/cmd/orderer \
      github.com/hyperledger/fabric/cmd/configtxgen github.com/hyperledger/fabric/cmd/cryptogen \
      github.com/hyperledger/fabric/cmd/osnadmin) >"$NET_DIR/logs/fabric-build.log" 2>&1 \
    || { tail -20 "$NET_DIR/logs/fabric-build.log"; die "fabric build failed"; }
  rm -rf "$FABRIC_BIN" && mv "$FABRIC_BIN.tmp" "$FABRIC_BIN"
else
  log "reusing Fabric binaries in $FABRIC_BIN"
fi
FABRIC_SRC=$(cd "$HERE/build" && GOFLAGS=-mod=readonly go mod download github.com/hyperledger/fabric && GOFLAGS=-mod=readonly go list -m -f '{{.Dir}}' github.com/hyperledger/fabric)
[[ -f $FABRIC_SRC/sampleconfig/core.yaml ]] || die "fabric sampleconfig not found (FABRIC_SRC=$FABRIC_SRC)"
log "building the records chaincode and the partner chaincode $PCC_NAME"
# One go build for both (./chaincode -> bin/chaincode, ./partnercc -> bin/partnercc).
# The chaincode module replaces ledgergate with ../.. (the schema package), so
# a change to the root go.mod can leave testnet/fabric/go.mod behind; then
# build with a scratch copy of go.mod/go.sum (-modfile) instead of failing.
if ! (cd "$HERE" && GOFLAGS=-mod=readonly go build -o "$NET_DIR/bin/" ./chaincode ./partnercc) 2>"$NET_DIR/logs/chaincode-build.log"; then
  log "testnet/fabric/go.mod is out of date with the root go.mod (run go mod tidy there); building with a scratch copy"
  cp "$HERE/go.mod" "$NET_DIR/cc.go.mod"; cp "$HERE/go.sum" "$NET_DIR/cc.go.sum"
  (cd "$HERE" && GOFLAGS=-mod=mod go build -modfile="$NET_DIR/cc.go.mod" -o "$NET_DIR/bin/" ./chaincode ./partnercc) \
    >>"$NET_DIR/logs/chaincode-build.log" 2>&1 || { cat "$NET_DIR/logs/chaincode-build.log"; die "chaincode build failed"; }
fi
mv "$NET_DIR/bin/chaincode" "$NET_DIR/bin/records-cc"; mv "$NET_DIR/bin/partnercc" "$NET_DIR/bin/$PCC_NAME-cc"
export PATH="$FABRIC_BIN:$PATH"

# ---- 2. crypto material and the channel's genesis block ------------------------
CFG=$NET_DIR/config
CRYPTO=$NET_DIR/crypto
cat >"$CFG/crypto-config.yaml" <<'EOF'
OrdererOrgs:
  - Name: Orderer
    Domain: example.com
    EnableNodeOUs: true
    Specs:
      - Hostname: orderer
        SANS: [127.0.0.1, localhost]
PeerOrgs:
  - Name: Customs
    Domain: customs.example.com
    EnableNodeOUs: true
    Template: {Count: 1, SANS: [127.0.0.1, localhost]}
    Users: {Count: 1}
  - Name: Partner
    Domain: partner.example.com
    EnableNodeOUs: true
    Template: {Count: 1, SANS: [127.0.0.1, localhost]}
    Users: {Count: 1}
EOF
cryptogen generate --config="$CFG/crypto-config.yaml" --output="$CRYPTO" >"$NET_DIR/logs/cryptogen.log" 2>&1 \
  || { cat "$NET_DIR/logs/cryptogen.log"; die "cryptogen failed"; }
ORDERER_DIR=$CRYPTO/ordererOrganizations/example.com/orderers/orderer.example.com
ORDERER_CA=$ORDERER_DIR/tls/ca.crt
org_dir() { echo "$CRYPTO/peerOrganizations/$1.example.com"; }
msp_of() { [[ $1 == customs ]] && echo CustomsMSP || echo PartnerMSP; }
port_of() { [[ $1 == customs ]] && echo "$CUSTOMS_PORT" || echo "$PARTNER_PORT"; }

org_yaml() { # org_yaml ORG
  local o=$1 m; m=$(msp_of "$1")
  cat <<EOF
  - &$o
    Name: $m
    ID: $m
    MSPDir: $(org_dir "$o")/msp
    Policies:
      Readers:     {Type: Signature, Rule: "OR('$m.admin', '$m.peer', '$m.client')"}
      Writers:     {Type: Signature, Rule: "OR('$m.admin', '$m.client')"}
      Admins:      {Type: Signature, Rule: "OR('$m.admin')"}
      Endorsement: {Type: Signature, Rule: "OR('$m.peer')"}
    AnchorPeers: [{Host: 127.0.0.1, Port: $(port_of "$o")}]
EOF
}
{
  cat <<EOF
Organizations:
  - &OrdererOrg
    Name: OrdererOrg
    ID: OrdererMSP
    MSPDir: $CRYPTO/ordererOrganizations/example.com/msp
    Policies:
      Readers: {Type: Signature, Rule: "OR('OrdererMSP.member')"}
      Writers: {Type: Signature, Rule: "OR('OrdererMSP.member')"}
      Admins:  {Type: Signature, Rule: "OR('OrdererMSP.admin')"}
    OrdererEndpoints: [127.0.0.1:$ORDERER_PORT]
EOF
  org_yaml customs
  org_yaml partner
  cat <<EOF
Profiles:
  CustomsChannel:
    Policies:
      Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
      Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
      Admins:  {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
    Capabilities: {V2_0: true}
    Orderer:
      OrdererType: etcdraft
      BatchTimeout: $BATCH_TIMEOUT
      BatchSize: {MaxMessageCount: $BATCH_MAX, AbsoluteMaxBytes: 10 MB, PreferredMaxBytes: 2 MB}
      EtcdRaft:
        Consenters:
          - {Host: 127.0.0.1, Port: $ORDERER_PORT, ClientTLSCert: $ORDERER_DIR/tls/server.crt, ServerTLSCert: $ORDERER_DIR/tls/server.crt}
        Options: {TickInterval: 100ms, ElectionTick: 10, HeartbeatTick: 1, MaxInflightBlocks: 5, SnapshotIntervalSize: 16 MB}
      Organizations: [*OrdererOrg]
      Policies:
        Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
        Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
        Admins:  {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
        BlockValidation: {Type: ImplicitMeta, Rule: "ANY Writers"}
      Capabilities: {V2_0: true}
    Application:
      Organizations: [*customs, *partner]
      Policies:
        Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
        Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
        Admins:  {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
        LifecycleEndorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
        Endorsement:          {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
      Capabilities: {V2_5: true}
EOF
} >"$CFG/configtx.yaml"
FABRIC_CFG_PATH=$CFG configtxgen -profile CustomsChannel -channelID "$CHANNEL" \
  -outputBlock "$NET_DIR/$CHANNEL.block" >"$NET_DIR/logs/configtxgen.log" 2>&1 \
  || { cat "$NET_DIR/logs/configtxgen.log"; die "configtxgen failed"; }

mkdir -p "$NET_DIR/builders/ccaas/bin"
cp "$HERE"/builders/ccaas/bin/{detect,build,release} "$NET_DIR/builders/ccaas/bin/"
chmod u+w,+x "$NET_DIR/builders/ccaas/bin/"*
cp "$FABRIC_SRC/sampleconfig/orderer.yaml" "$CFG/orderer.yaml"
sed -e "s#path: /opt/hyperledger/ccaas_builder#path: $NET_DIR/builders/ccaas#" \
    -e 's#endpoint: unix:///var/run/docker.sock#endpoint: ""#' \
    "$FABRIC_SRC/sampleconfig/core.yaml" >"$CFG/core.yaml"
chmod u+w "$CFG"/*.yaml
grep -q "path: $NET_DIR/builders/ccaas" "$CFG/core.yaml" || die "could not patch core.yaml externalBuilders"
export FABRIC_CFG_PATH=$CFG

# ---- 3. start the orderer and the peers ------------------------------------------
start_proc() { # start_proc NAME CMD... : background, logged, PID recorded
  local name=$1; shift
  nohup "$@" >"$NET_DIR/logs/$name.log" 2>&1 </dev/null &
  echo "$name $! $1" >>"$NET_DIR/pids"
  log "started $name (pid $!)"
}
wait_port() { # wait_port PORT SECONDS NAME
  local i pid; pid=$(awk -v n="$3" '$1 == n {print $2}' "$NET_DIR/pids")
  for ((i = 0; i < $2 * 10; i++)); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; then return 0; fi
    if [[ -n $pid ]] && ! running "$pid"; then tail -5 "$NET_DIR/logs/$3.log" >&2 || true; die "$3 (pid $pid) exited during start-up"; fi
    sleep 0.1
  done
  die "$3 did not open port $1 within $2 s (see $NET_DIR/logs)"
}
(
  export ORDERER_GENERAL_LISTENADDRESS=127.0.0.1 ORDERER_GENERAL_LISTENPORT=$ORDERER_PORT
  export ORDERER_GENERAL_LOCALMSPID=OrdererMSP ORDERER_GENERAL_LOCALMSPDIR=$ORDERER_DIR/msp
  export ORDERER_GENERAL_TLS_ENABLED=true ORDERER_GENERAL_TLS_PRIVATEKEY=$ORDERER_DIR/tls/server.key
  export ORDERER_GENERAL_TLS_CERTIFICATE=$ORDERER_DIR/tls/server.crt ORDERER_GENERAL_TLS_ROOTCAS=$ORDERER_CA
  export ORDERER_GENERAL_BOOTSTRAPMETHOD=none ORDERER_CHANNELPARTICIPATION_ENABLED=true
  export ORDERER_FILELEDGER_LOCATION=$NET_DIR/data/orderer
  export ORDERER_CONSENSUS_WALDIR=$NET_DIR/data/orderer/etcdraft/wal ORDERER_CONSENSUS_SNAPDIR=$NET_DIR/data/orderer/etcdraft/snap
  export ORDERER_OPERATIONS_LISTENADDRESS=127.0.0.1:$ORDERER_OPS_PORT ORDERER_ADMIN_LISTENADDRESS=127.0.0.1:$ORDERER_ADMIN_PORT
  start_proc orderer "$FABRIC_BIN/orderer"
)
peer_env() { # peer_env ORG : node environment of peer0.ORG
  local o=$1 port cc ops d
  if [[ $o == customs ]]; then port=$CUSTOMS_PORT cc=$CUSTOMS_CC_PORT ops=$CUSTOMS_OPS_PORT; else port=$PARTNER_PORT cc=$PARTNER_CC_PORT ops=$PARTNER_OPS_PORT; fi
  d=$(org_dir "$o")/peers/peer0.$o.example.com
  export CORE_PEER_ID=peer0.$o.example.com CORE_PEER_LOCALMSPID=$(msp_of "$o") CORE_PEER_MSPCONFIGPATH=$d/msp
  export CORE_PEER_ADDRESS=127.0.0.1:$port CORE_PEER_LISTENADDRESS=127.0.0.1:$port
  export CORE_PEER_CHAINCODEADDRESS=127.0.0.1:$cc CORE_PEER_CHAINCODELISTENADDRESS=127.0.0.1:$cc
  export CORE_PEER_GOSSIP_BOOTSTRAP=127.0.0.1:$port CORE_PEER_GOSSIP_EXTERNALENDPOINT=127.0.0.1:$port
  export CORE_PEER_TLS_ENABLED=true CORE_PEER_TLS_CERT_FILE=$d/tls/server.crt CORE_PEER_TLS_KEY_FILE=$d/tls/server.key
  export CORE_PEER_TLS_ROOTCERT_FILE=$d/tls/ca.crt CORE_PEER_GATEWAY_ENABLED=true
  export CORE_OPERATIONS_LISTENADDRESS=127.0.0.1:$ops CORE_METRICS_PROVIDER=disabled
  export CORE_PEER_FILESYSTEMPATH=$NET_DIR/data/peer0.$o CORE_LEDGER_SNAPSHOTS_ROOTDIR=$NET_DIR/data/peer0.$o/snapshots
  export CORE_LEDGER_HISTORY_ENABLEHISTORYDATABASE=true
  # find the other org's peer (anchor peer) quickly, also on a loaded machine
  export CORE_PEER_GOSSIP_RECONNECTINTERVAL=2s CORE_PEER_GOSSIP_MEMBERSHIPTRACKERINTERVAL=1s
  export CORE_PEER_GOSSIP_DIALTIMEOUT=10s CORE_PEER_GOSSIP_CONNTIMEOUT=10s
}
admin_env() { peer_env "$1"; export CORE_PEER_MSPCONFIGPATH=$(org_dir "$1")/users/Admin@$1.example.com/msp; }
for o in customs partner; do (peer_env "$o"; start_proc "peer0.$o" "$FABRIC_BIN/peer" node start); done
wait_port "$ORDERER_ADMIN_PORT" 60 orderer
wait_port "$CUSTOMS_PORT" 60 peer0.customs
wait_port "$PARTNER_PORT" 60 peer0.partner

log "joining the orderer to channel $CHANNEL"
# the orderer's admin endpoint is plain HTTP on 127.0.0.1 (sampleconfig: admin TLS off)
osnadmin channel join --channelID "$CHANNEL" --config-block "$NET_DIR/$CHANNEL.block" \
  -o "127.0.0.1:$ORDERER_ADMIN_PORT" >"$NET_DIR/logs/osnadmin.log" 2>&1 \
  || { cat "$NET_DIR/logs/osnadmin.log"; die "osnadmin channel join failed"; }
for _ in $(seq 1 300); do grep -q 'Raft leader changed: 0 -> 1' "$NET_DIR/logs/orderer.log" && break; sleep 0.1; done
grep -q 'Raft leader changed: 0 -> 1' "$NET_DIR/logs/orderer.log" || die "orderer raft leader not elected"
for o in customs partner; do
  log "joining peer0.$o to $CHANNEL"
  (admin_env "$o"; peer channel join -b "$NET_DIR/$CHANNEL.block") >>"$NET_DIR/logs/peer-cli.log" 2>&1 \
    || { tail -20 "$NET_DIR/logs/peer-cli.log"; die "peer0.$o channel join failed"; }
done

# ---- 4. the chaincodes as services ----------------------------------------------------
# deploy_cc NAME PROC BINARY PORT POLICY [VAR=VALUE...]: package NAME as a ccaas
# chaincode served on 127.0.0.1:PORT, install it on both peers, start BINARY as
# that service (process PROC, with the extra environment), approve it for both
# orgs and commit it on the channel with the endorsement POLICY.
deploy_cc() {
  local name=$1 proc=$2 bin=$3 port=$4 policy=$5 pkg=$NET_DIR/cc-pkg/$1 id o
  shift 5
  mkdir -p "$pkg"
  printf '{"address": "127.0.0.1:%s", "dial_timeout": "10s", "tls_required": false}\n' "$port" >"$pkg/connection.json"
  printf '{"type": "ccaas", "label": "%s_1.0"}\n' "$name" >"$pkg/metadata.json"
  tar -C "$pkg" -czf "$pkg/code.tar.gz" connection.json
  tar -C "$pkg" -czf "$pkg/$name.tgz" metadata.json code.tar.gz
  for o in customs partner; do
    (admin_env "$o"; peer lifecycle chaincode install "$pkg/$name.tgz") >>"$NET_DIR/logs/peer-cli.log" 2>&1 \
      || { tail -20 "$NET_DIR/logs/peer-cli.log"; die "$name: install on peer0.$o failed"; }
  done
  id=$(peer lifecycle chaincode calculatepackageid "$pkg/$name.tgz")
  (export CHAINCODE_ID=$id CHAINCODE_SERVER_ADDRESS=127.0.0.1:$port; for kv in "$@"; do export "${kv?}"; done; start_proc "$proc" "$bin")
  wait_port "$port" 30 "$proc"
  for o in customs partner; do
    (admin_env "$o"; peer lifecycle chaincode approveformyorg -o "127.0.0.1:$ORDERER_PORT" --tls --cafile "$ORDERER_CA" \
       --channelID "$CHANNEL" --name "$name" --version 1.0 --package-id "$id" --sequence 1 --signature-policy "$policy") \
       >>"$NET_DIR/logs/peer-cli.log" 2>&1 || { tail -20 "$NET_DIR/logs/peer-cli.log"; die "$name: approve ($o) failed"; }
  done
  (admin_env customs; peer lifecycle chaincode commit -o "127.0.0.1:$ORDERER_PORT" --tls --cafile "$ORDERER_CA" \
     --channelID "$CHANNEL" --name "$name" --version 1.0 --sequence 1 --signature-policy "$policy" \
     --peerAddresses "127.0.0.1:$CUSTOMS_PORT" --tlsRootCertFiles "$(org_dir customs)/peers/peer0.customs.example.com/tls/ca.crt" \
     --peerAddresses "127.0.0.1:$PARTNER_PORT" --tlsRootCertFiles "$(org_dir partner)/peers/peer0.partner.example.com/tls/ca.crt") \
     >>"$NET_DIR/logs/peer-cli.log" 2>&1 || { tail -20 "$NET_DIR/logs/peer-cli.log"; die "$name: chaincode commit failed"; }
}
POLICY="AND('CustomsMSP.peer','PartnerMSP.peer')"
PCC_POLICY="OR('PartnerMSP.peer')"
deploy_cc "$CC_NAME" chaincode "$NET_DIR/bin/records-cc" "$CC_PORT" "$POLICY"
deploy_cc "$PCC_NAME" partnercc "$NET_DIR/bin/$PCC_NAME-cc" "$PCC_PORT" "$PCC_POLICY" OWNER_MSP=PartnerMSP
for o in customs partner; do # wait until both peers have both definitions committed
  for cc in "$CC_NAME" "$PCC_NAME"; do
    for _ in $(seq 1 100); do
      (admin_env "$o"; peer lifecycle chaincode querycommitted -C "$CHANNEL" -n "$cc") >/dev/null 2>&1 && break
      sleep 0.2
    done
  done
done

# The Gateway plans endorsements from gossip membership: wait until each peer
# sees the other org's peer, or AND(customs, partner) cannot be satisfied yet.
for o in customs partner; do
  other=$PARTNER_PORT; [[ $o == partner ]] && other=$CUSTOMS_PORT
  for _ in $(seq 1 600); do
    grep -q "peers went online:.*127.0.0.1:$other" "$NET_DIR/logs/peer0.$o.log" && break
    sleep 0.1
  done
  grep -q "peers went online:.*127.0.0.1:$other" "$NET_DIR/logs/peer0.$o.log" \
    || die "peer0.$o does not see the other organization's peer (gossip); see $NET_DIR/logs"
done

# ---- 5. connection settings -------------------------------------------------------------
org_json() { # org_json ORG
  local o=$1 u d; u=$(org_dir "$o")/users; d=$(org_dir "$o")
  cat <<EOF
    {
      "name": "$o",
      "mspId": "$(msp_of "$o")",
      "peerEndpoint": "127.0.0.1:$(port_of "$o")",
      "peerHostOverride": "",
      "tlsCACert": "$d/peers/peer0.$o.example.com/tls/ca.crt",
      "userCert": "$u/User1@$o.example.com/msp/signcerts/User1@$o.example.com-cert.pem",
      "userKey": "$u/User1@$o.example.com/msp/keystore/priv_sk",
      "adminCert": "$u/Admin@$o.example.com/msp/signcerts/Admin@$o.example.com-cert.pem",
      "adminKey": "$u/Admin@$o.example.com/msp/keystore/priv_sk"
    }
EOF
}
{
  cat <<EOF
{
  "fabricVersion": "$FABRIC_VERSION",
  "channel": "$CHANNEL",
  "chaincode": "$CC_NAME",
  "endorsementPolicy": "$POLICY",
  "partnerChaincode": "$PCC_NAME",
  "partnerEndorsementPolicy": "$PCC_POLICY",
  "ordererEndpoint": "127.0.0.1:$ORDERER_PORT",
  "ordererTLSCACert": "$ORDERER_CA",
  "netDir": "$NET_DIR",
  "pidFile": "$NET_DIR/pids",
  "orgs": [
EOF
  org_json customs; echo "    ,"; org_json partner
  echo "  ]"
  echo "}"
} >"$NET_DIR/connection.json.tmp"
mv "$NET_DIR/connection.json.tmp" "$NET_DIR/connection.json"
u=$(org_dir customs)/users/User1@customs.example.com/msp
cat >"$NET_DIR/env.sh" <<EOF
# source me: fabric-gateway client settings for User1@customs (generated by up.sh)
export FABRIC_GATEWAY_ENDPOINT=127.0.0.1:$CUSTOMS_PORT
export FABRIC_TLS_CA_CERT=$(org_dir customs)/peers/peer0.customs.example.com/tls/ca.crt
export FABRIC_MSP_ID=CustomsMSP
export FABRIC_CERT_PATH=$u/signcerts/User1@customs.example.com-cert.pem
export FABRIC_KEY_PATH=$u/keystore/priv_sk
export FABRIC_CHANNEL=$CHANNEL
export FABRIC_CHAINCODE=$CC_NAME
export LEDGERGATE_FABRIC_CONNECTION=$NET_DIR/connection.json
EOF
trap - EXIT
log "network up in $(($(date +%s) - T0)) s: $NET_DIR/connection.json (stop: $HERE/down.sh)"
