/// The model files the product ships with, embedded so `swift run simulate --seed 1` works from
/// any directory. `models/kuberay-sample.json` holds the same text; a test keeps them identical.
public enum EmbeddedModels {
    /// The text of models/kuberay-sample.json.
    public static let kuberaySampleJSON = #"""
{
  "name": "kuberay-external-redis",
  "summary": "KubeRay's ray-cluster.external-redis.yaml sample: GCS FT on, one worker, timeouts left unset so KubeRay gives workers 600 s and the head keeps Ray's 60 s. Its Redis says `appendonly yes`, but `dir /data` is not on a volume, so a restarted Redis container starts empty: persistence is effectively none.",
  "source": "ray-project/kuberay ray-operator/config/samples/ray-cluster.external-redis.yaml (v1.0.0); Ray docs 'GCS fault tolerance in KubeRay' (seed 003)",
  "cluster": {
    "ftEnabled": true,
    "workers": 1,
    "headRestartPolicy": "Always",
    "redisPersistence": "none",
    "rayClusterUID": "864b004c-6305-42e3-ac46-adfa8eb6f752",
    "actorMaxRestarts": 0
  },
  "timing": {
    "headPodStartup": {"min": "5s", "max": "30s"},
    "workerPodStartup": {"min": "5s", "max": "30s"},
    "containerRestartStartup": {"min": "2s", "max": "10s"},
    "gcsTableLoad": {"min": "300ms", "max": "2s"},
    "granularity": "100ms"
  },
  "faults": {
    "kinds": ["gcs-process-kill", "gcs-process-sigkill", "head-pod-delete", "head-container-crash", "head-pod-evict"],
    "maxFaults": 1,
    "horizon": "5m"
  },
  "properties": {"recoveryBound": "5m"},
  "check": {"granularity": "1s"}
}

"""#

    /// The default model: KubeRay's external-Redis sample.
    public static var kuberaySample: ModelDefinition {
        // The embedded text is validated by a test; failing here would be a build defect.
        try! ModelDefinition.parse(Data(kuberaySampleJSON.utf8))
    }
}

import Foundation
