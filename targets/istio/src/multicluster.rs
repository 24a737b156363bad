//! A cluster's part in a mesh that spans clusters (`mesh NAME { member …
//! }`), as Istio's multi-primary install documents it
//! (istio.io/latest/docs/setup/install/multicluster/): on several networks,
//! the Gateway that exposes the cluster's `*.local` services to the other
//! networks through the east-west gateway (`AUTO_PASSTHROUGH` on 15443, in
//! `mesh.yaml`); and, as prerequisites, what only an install can do — the
//! common root CA, the network label of `istio-system`, `istioctl install`
//! with the mesh ID, cluster name, network and trust domain, the east-west
//! gateway, the remote secret of every other member, and the region label
//! of the nodes that locality failover reads.

use crate::{meta, Ctx};
use hybrid_emit::mesh::{
    CROSS_NETWORK_GATEWAY, CROSS_NETWORK_PORT, EASTWEST_GATEWAY_LABELS, ISTIO_SYSTEM, REGION_LABEL,
};
use hybrid_emit::prerequisites::{self as pre, Prerequisites};
use hybrid_emit::{json, Map, Value};

/// The Secret of the mesh's common root CA that Istio's install reads
/// (its "plug in CA certificates" task), with its keys.
const CACERTS: &str = "cacerts";
const CACERTS_KEYS: &[&str] = &["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"];

/// The label that tells Istio which network a cluster's workloads sit on.
const NETWORK_LABEL: &str = "topology.istio.io/network";

/// The cross-network Gateway, when the cluster's mesh spans networks.
pub fn objects(ctx: &Ctx<'_>) -> Vec<Value> {
    let Some(mesh) = ctx.t.mesh_of(ctx.id) else { return Vec::new() };
    if !mesh.multi_network() {
        return Vec::new();
    }
    let selector: Map = EASTWEST_GATEWAY_LABELS.iter().map(|(k, v)| ((*k).to_string(), Value::from(*v))).collect();
    vec![json!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "Gateway",
        "metadata": meta(ctx.t, CROSS_NETWORK_GATEWAY, ISTIO_SYSTEM, None),
        "spec": {
            "selector": selector,
            "servers": [{
                "port": { "number": CROSS_NETWORK_PORT, "name": "tls", "protocol": "TLS" },
                "tls": { "mode": "AUTO_PASSTHROUGH" },
                "hosts": ["*.local"],
            }],
        },
    })]
}

/// What joining the mesh takes beyond the objects: one procedure, the
/// Secrets it creates, and the region label of every pool's nodes.
pub fn prerequisites(ctx: &Ctx<'_>, p: &mut Prerequisites) {
    let t = ctx.t;
    let Some(mesh) = t.mesh_of(ctx.id) else { return };
    let Some(member) = mesh.member(ctx.id) else { return };
    let cluster = &t.cluster(ctx.id).name;
    let network = &member.network.value;
    let why = format!("mesh `{}` (every member's workloads call and fail over to each other)", mesh.name);
    p.secret(ISTIO_SYSTEM, CACERTS, CACERTS_KEYS, why.clone()).secret_source(
        ISTIO_SYSTEM,
        CACERTS,
        format!(
            "an intermediate CA of the one root CA every member of mesh `{}` shares (istio.io \"Plug in CA \
             Certificates\"), created before Istio is installed",
            mesh.name
        ),
    );
    let mut steps = vec![
        format!("create Secret `{ISTIO_SYSTEM}/{CACERTS}` (above) before installing Istio"),
        format!("`kubectl --context={cluster} label namespace {ISTIO_SYSTEM} {NETWORK_LABEL}={network}`"),
        format!(
            "`istioctl install --context={cluster} -y --set values.global.meshID={} \
             --set values.global.multiCluster.clusterName={cluster} --set values.global.network={network} \
             --set meshConfig.trustDomain={}`",
            mesh.name, mesh.trust_domain.value
        ),
    ];
    if mesh.multi_network() {
        p.operator(&pre::ISTIO, format!("Gateway {ISTIO_SYSTEM}/{CROSS_NETWORK_GATEWAY} (mesh.yaml)"));
        steps.push(format!(
            "`samples/multicluster/gen-eastwest-gateway.sh --network {network} | istioctl --context={cluster} install -y -f -` \
             (from the release of Istio installed): the east-west gateway that Gateway `{ISTIO_SYSTEM}/{CROSS_NETWORK_GATEWAY}` \
             selects; its Service `istio-eastwestgateway` needs an address the other networks reach on port {CROSS_NETWORK_PORT}"
        ));
    }
    for other in mesh.members.iter().filter(|m| m.cluster.value != ctx.id) {
        let name = &t.cluster(other.cluster.value).name;
        steps.push(format!(
            "`istioctl create-remote-secret --context={name} --name={name} | kubectl apply -f - --context={cluster}`"
        ));
        p.secret(ISTIO_SYSTEM, format!("istio-remote-secret-{name}"), &[name.as_str()], why.clone()).secret_source(
            ISTIO_SYSTEM,
            format!("istio-remote-secret-{name}"),
            format!("`istioctl create-remote-secret --context={name} --name={name}`: access to `{name}`'s API server"),
        );
    }
    p.procedure(format!("Join mesh {} (kubeconfig contexts named after the clusters)", mesh.name), steps);
    let region = &t.site(t.cluster(ctx.id).site).region;
    for pool in &ctx.k.pools {
        p.node_labels(
            &pool.name,
            &[],
            &[(REGION_LABEL, region.as_str())],
            format!("locality failover of mesh `{}` (a public cloud sets it itself)", mesh.name),
        );
    }
}
