// The OpenAPI v3 documents the stand-in serves, for `kubectl explain`: /openapi/v3 lists one
// document per group-version at `/openapi/v3/<api/v1|apis/G/V>?hash=<SHA-512>`, each holding the
// paths of that group-version's resources (each operation naming its kind in
// x-kubernetes-group-version-kind) and components.schemas with every schema they reach, shaped as
// a real API server shapes them: a reference to another schema wrapped in allOf beside its
// description and default, lists as `items`, maps as `additionalProperties`, IntOrString and
// Quantity as oneOf with no type of their own, enums with the "Possible enum values" text, required
// fields, times as date-time strings; custom resources' schemas inline, as the CRD gives them.
// Pods, their containers, Deployments, Services and ConfigMaps are described field by field (the
// texts paraphrase the API's own); every other kind the stand-in serves has its metadata and a
// spec and status of its own name. CustomResourceDefinitions are described down to JSONSchemaProps,
// which refers to itself, as in the real API.
import { createHash } from "node:crypto";
import { groupVersion, RESOURCES, type ResourceType } from "./resources";

type Schema = Record<string, unknown>;

const PREFIX = "#/components/schemas/";
const ref = (name: string): Schema => ({ $ref: `${PREFIX}${name}` });
/** A field holding another schema, as the API server writes it: allOf beside description and default. */
const object = (name: string, description: string): Schema => ({
  allOf: [ref(name)],
  default: {},
  description,
});
const listOf = (name: string, description: string, extra: Schema = {}): Schema => ({
  type: "array",
  items: { allOf: [ref(name)], default: {} },
  description,
  ...extra,
});
const strings = (description: string): Schema => ({
  type: "array",
  items: { type: "string", default: "" },
  description,
});
const text = (description: string, extra: Schema = {}): Schema => ({ type: "string", description, ...extra });
const integer = (description: string, format = "int32"): Schema => ({ type: "integer", format, description });
const bool = (description: string): Schema => ({ type: "boolean", description });
const stringMap = (description: string): Schema => ({
  type: "object",
  additionalProperties: { type: "string", default: "" },
  description,
});
/** An enum as the API describes one: its values listed again in the text, each with its meaning. */
const oneOf = (description: string, values: [string, string][], extra: Schema = {}): Schema => ({
  type: "string",
  enum: values.map(([value]) => value),
  description: `${description}\n\nPossible enum values:\n${values.map(([value, meaning]) => ` - \`"${value}"\` ${meaning}`).join("\n")}`,
  ...extra,
});

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const CORE = "io.k8s.api.core.v1";
const APPS = "io.k8s.api.apps.v1";

const API_VERSION =
  "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const KIND =
  "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
const OBJECT_META =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** apiVersion, kind and metadata: what every kind starts with. */
const typeMeta = (): Record<string, Schema> => ({
  apiVersion: text(API_VERSION),
  kind: text(KIND),
  metadata: object(`${META}.ObjectMeta`, OBJECT_META),
});
const kindOf = (group: string, version: string, kind: string) => ({
  "x-kubernetes-group-version-kind": [{ group, kind, version }],
});

const INT_OR_STRING: Schema = {
  description:
    "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.",
  format: "int-or-string",
  oneOf: [{ type: "integer" }, { type: "string" }],
};

const QUANTITY: Schema = {
  description:
    'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.\n\nThe serialization format is:\n\n``` <quantity>        ::= <signedNumber><suffix>\n\n\t(Note that <suffix> may be empty, from the "" case in <decimalSI>.)\n\n<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= "+" | "-" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n\t(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n```\n\nNo matter which of the three exponent forms is used, no quantity may represent a number greater than 2^63-1 in magnitude, nor may it have more than 3 decimal places.',
  oneOf: [{ type: "string" }, { type: "number" }],
};

/** The schemas described field by field, by their OpenAPI names. */
const DETAILED: Record<string, Schema> = {
  [`${META}.ObjectMeta`]: {
    description:
      "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
    type: "object",
    properties: {
      annotations: stringMap(
        "Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations",
      ),
      creationTimestamp: object(
        `${META}.Time`,
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ),
      finalizers: {
        ...strings(
          "Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list. If the deletionTimestamp of the object is non-nil, entries in this list can only be removed. Finalizers may be processed and removed in any order.  Order is NOT enforced because it introduces significant risk of stuck finalizers.",
        ),
        "x-kubernetes-list-type": "set",
        "x-kubernetes-patch-strategy": "merge",
      },
      generation: integer(
        "A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.",
        "int64",
      ),
      labels: stringMap(
        "Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels",
      ),
      name: text(
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
      ),
      namespace: text(
        'Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the "default" namespace, but "default" is the canonical representation. Not all objects are required to be scoped to a namespace - the value of this field for those objects will be empty.\n\nMust be a DNS_LABEL. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces',
      ),
      ownerReferences: listOf(
        `${META}.OwnerReference`,
        "List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected. If this object is managed by a controller, then an entry in this list will point to this controller, with the controller field set to true. There cannot be more than one managing controller.",
        { "x-kubernetes-list-map-keys": ["uid"], "x-kubernetes-list-type": "map" },
      ),
      resourceVersion: text(
        "An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. May be used for optimistic concurrency, change detection, and the watch operation on a resource or set of resources.",
      ),
      uid: text(
        "UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations.",
      ),
    },
  },
  [`${META}.OwnerReference`]: {
    description:
      "OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.",
    type: "object",
    required: ["apiVersion", "kind", "name", "uid"],
    properties: {
      apiVersion: text("API version of the referent.", { default: "" }),
      blockOwnerDeletion: bool(
        'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.',
      ),
      controller: bool("If true, this reference points to the managing controller."),
      kind: text("Kind of the referent.", { default: "" }),
      name: text("Name of the referent.", { default: "" }),
      uid: text("UID of the referent.", { default: "" }),
    },
    "x-kubernetes-map-type": "atomic",
  },
  [`${META}.Time`]: {
    description:
      "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.",
    type: "string",
    format: "date-time",
  },
  [`${META}.LabelSelector`]: {
    description:
      "A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.",
    type: "object",
    properties: {
      matchExpressions: listOf(
        `${META}.LabelSelectorRequirement`,
        "matchExpressions is a list of label selector requirements. The requirements are ANDed.",
      ),
      matchLabels: stringMap(
        'matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is "key", the operator is "In", and the values array contains only "value". The requirements are ANDed.',
      ),
    },
    "x-kubernetes-map-type": "atomic",
  },
  [`${META}.LabelSelectorRequirement`]: {
    description:
      "A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.",
    type: "object",
    required: ["key", "operator"],
    properties: {
      key: text("key is the label key that the selector applies to.", { default: "" }),
      operator: text(
        "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist.",
        { default: "" },
      ),
      values: strings(
        "values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty.",
      ),
    },
  },
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": INT_OR_STRING,
  "io.k8s.apimachinery.pkg.api.resource.Quantity": QUANTITY,
  [`${CORE}.Pod`]: {
    description:
      "Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.",
    type: "object",
    properties: {
      ...typeMeta(),
      spec: object(
        `${CORE}.PodSpec`,
        "Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
      ),
      status: object(
        `${CORE}.PodStatus`,
        "Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only.",
      ),
    },
    ...kindOf("", "v1", "Pod"),
  },
  [`${CORE}.PodSpec`]: {
    description: "PodSpec is a description of a pod.",
    type: "object",
    required: ["containers"],
    properties: {
      containers: listOf(
        `${CORE}.Container`,
        "List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.",
        { "x-kubernetes-list-map-keys": ["name"], "x-kubernetes-list-type": "map" },
      ),
      dnsPolicy: oneOf(
        "Set DNS policy for the pod. Defaults to \"ClusterFirst\". Valid values are 'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'.",
        [
          ["ClusterFirst", "indicates that the pod should use cluster DNS first unless hostNetwork is true."],
          [
            "ClusterFirstWithHostNet",
            "indicates that the pod should use cluster DNS first, if it is available.",
          ],
          [
            "Default",
            "indicates that the pod should use the default (as determined by kubelet) DNS settings.",
          ],
          ["None", "indicates that the pod should use empty DNS settings."],
        ],
      ),
      initContainers: listOf(
        `${CORE}.Container`,
        "List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started.",
        { "x-kubernetes-list-map-keys": ["name"], "x-kubernetes-list-type": "map" },
      ),
      nodeName: text(
        "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.",
      ),
      nodeSelector: {
        ...stringMap(
          "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
        ),
        "x-kubernetes-map-type": "atomic",
      },
      overhead: {
        type: "object",
        additionalProperties: ref("io.k8s.apimachinery.pkg.api.resource.Quantity"),
        description:
          "Overhead represents the resource overhead associated with running a pod for a given RuntimeClass.",
      },
      restartPolicy: oneOf(
        "Restart policy for all containers within the pod. One of Always, OnFailure, Never. In some contexts, only a subset of those values may be permitted. Default to Always.",
        [
          ["Always", ""],
          ["Never", ""],
          ["OnFailure", ""],
        ],
      ),
      serviceAccountName: text(
        "ServiceAccountName is the name of the ServiceAccount to use to run this pod. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/",
      ),
      terminationGracePeriodSeconds: integer(
        "Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). If this value is nil, the default grace period will be used instead. Defaults to 30 seconds.",
        "int64",
      ),
      volumes: listOf(
        `${CORE}.Volume`,
        "List of volumes that can be mounted by containers belonging to the pod. More info: https://kubernetes.io/docs/concepts/storage/volumes",
        { "x-kubernetes-list-map-keys": ["name"], "x-kubernetes-list-type": "map" },
      ),
    },
  },
  [`${CORE}.Container`]: {
    description: "A single application container that you want to run within a pod.",
    type: "object",
    required: ["name"],
    properties: {
      args: {
        ...strings(
          "Arguments to the entrypoint. The container image's CMD is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container's environment.",
        ),
        "x-kubernetes-list-type": "atomic",
      },
      command: {
        ...strings(
          "Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided.",
        ),
        "x-kubernetes-list-type": "atomic",
      },
      env: listOf(
        `${CORE}.EnvVar`,
        "List of environment variables to set in the container. Cannot be updated.",
      ),
      image: text(
        "Container image name. More info: https://kubernetes.io/docs/concepts/containers/images This field is optional to allow higher level config management to default or override container images in workload controllers like Deployments and StatefulSets.",
      ),
      imagePullPolicy: oneOf(
        "Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images",
        [
          [
            "Always",
            "means that kubelet always attempts to pull the latest image. Container will fail If the pull fails.",
          ],
          [
            "IfNotPresent",
            "means that kubelet pulls if the image isn't present on disk. Container will fail if the image isn't present and the pull fails.",
          ],
          [
            "Never",
            "means that kubelet never pulls an image, but only uses a local image. Container will fail if the image isn't present",
          ],
        ],
      ),
      name: text(
        "Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.",
        { default: "" },
      ),
      ports: listOf(
        `${CORE}.ContainerPort`,
        "List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed.",
        { "x-kubernetes-list-map-keys": ["containerPort", "protocol"], "x-kubernetes-list-type": "map" },
      ),
      readinessProbe: object(
        `${CORE}.Probe`,
        "Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes",
      ),
      resources: object(
        `${CORE}.ResourceRequirements`,
        "Compute Resources required by this container. Cannot be updated. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
      ),
    },
  },
  [`${CORE}.ContainerPort`]: {
    description: "ContainerPort represents a network port in a single container.",
    type: "object",
    required: ["containerPort"],
    properties: {
      containerPort: integer(
        "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.",
      ),
      hostPort: integer(
        "Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536. Most containers do not need this.",
      ),
      name: text(
        "If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services.",
      ),
      protocol: oneOf(
        'Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".',
        [
          ["SCTP", "is the SCTP protocol."],
          ["TCP", "is the TCP protocol."],
          ["UDP", "is the UDP protocol."],
        ],
        { default: "TCP" },
      ),
    },
  },
  [`${CORE}.EnvVar`]: {
    description: "EnvVar represents an environment variable present in a Container.",
    type: "object",
    required: ["name"],
    properties: {
      name: text("Name of the environment variable. Must be a C_IDENTIFIER.", { default: "" }),
      value: text(
        'Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. "$$(VAR_NAME)" will produce the string literal "$(VAR_NAME)". Defaults to "".',
      ),
    },
  },
  [`${CORE}.ResourceRequirements`]: {
    description: "ResourceRequirements describes the compute resource requirements.",
    type: "object",
    properties: {
      limits: {
        type: "object",
        additionalProperties: ref("io.k8s.apimachinery.pkg.api.resource.Quantity"),
        description:
          "Limits describes the maximum amount of compute resources allowed. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
      },
      requests: {
        type: "object",
        additionalProperties: ref("io.k8s.apimachinery.pkg.api.resource.Quantity"),
        description:
          "Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value. Requests cannot exceed Limits.",
      },
    },
  },
  [`${CORE}.Probe`]: {
    description:
      "Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.",
    type: "object",
    properties: {
      failureThreshold: integer(
        "Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.",
      ),
      httpGet: object(`${CORE}.HTTPGetAction`, "HTTPGet specifies an HTTP GET request to perform."),
      periodSeconds: integer(
        "How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.",
      ),
    },
  },
  [`${CORE}.HTTPGetAction`]: {
    description: "HTTPGetAction describes an action based on HTTP Get requests.",
    type: "object",
    required: ["port"],
    properties: {
      path: text("Path to access on the HTTP server."),
      port: object(
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        "Name or number of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.",
      ),
      scheme: oneOf("Scheme to use for connecting to the host. Defaults to HTTP.", [
        ["HTTP", "means that the scheme used will be http://"],
        ["HTTPS", "means that the scheme used will be https://"],
      ]),
    },
  },
  [`${CORE}.Volume`]: {
    description:
      "Volume represents a named volume in a pod that may be accessed by any container in the pod.",
    type: "object",
    required: ["name"],
    properties: {
      hostPath: object(
        `${CORE}.HostPathVolumeSource`,
        "hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container. This is generally used for system agents or other privileged things that are allowed to see the host machine. Most containers will NOT need this. More info: https://kubernetes.io/docs/concepts/storage/volumes#hostpath",
      ),
      name: text(
        "name of the volume. Must be a DNS_LABEL and unique within the pod. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
        { default: "" },
      ),
    },
  },
  [`${CORE}.HostPathVolumeSource`]: {
    description:
      "Represents a host path mapped into a pod. Host path volumes do not support ownership management or SELinux relabeling.",
    type: "object",
    required: ["path"],
    properties: {
      path: text(
        "path of the directory on the host. If the path is a symlink, it will follow the link to the real path. More info: https://kubernetes.io/docs/concepts/storage/volumes#hostpath",
        { default: "" },
      ),
      type: oneOf(
        'type for HostPath Volume Defaults to "" More info: https://kubernetes.io/docs/concepts/storage/volumes#hostpath',
        [
          ["", "For backwards compatible, leave it empty if unset"],
          ["BlockDevice", "A block device must exist at the given path"],
          ["CharDevice", "A character device must exist at the given path"],
          ["Directory", "A directory must exist at the given path"],
          [
            "DirectoryOrCreate",
            "If nothing exists at the given path, an empty directory will be created there as needed with file mode 0755, having the same group and ownership with Kubelet.",
          ],
          ["File", "A file must exist at the given path"],
          [
            "FileOrCreate",
            "If nothing exists at the given path, an empty file will be created there as needed with file mode 0644, having the same group and ownership with Kubelet.",
          ],
          ["Socket", "A UNIX socket must exist at the given path"],
        ],
      ),
    },
  },
  [`${CORE}.PodStatus`]: {
    description:
      "PodStatus represents information about the status of a pod. Status may trail the actual state of a system, especially if the node that hosts the pod cannot contact the control plane.",
    type: "object",
    properties: {
      conditions: listOf(
        `${CORE}.PodCondition`,
        "Current service state of pod. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions",
      ),
      phase: oneOf(
        "The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle.\n\nMore info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-phase",
        [
          [
            "Failed",
            "means that all containers in the pod have terminated, and at least one container has terminated in a failure.",
          ],
          [
            "Pending",
            "means the pod has been accepted by the system, but one or more of the containers has not been started.",
          ],
          ["Running", "means the pod has been bound to a node and all of the containers have been started."],
          [
            "Succeeded",
            "means that all containers in the pod have voluntarily terminated with a container exit code of 0.",
          ],
          ["Unknown", "means that for some reason the state of the pod could not be obtained."],
        ],
      ),
      podIP: text(
        "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.",
      ),
      startTime: object(
        `${META}.Time`,
        "RFC 3339 date and time at which the object was acknowledged by the Kubelet. This is before the Kubelet pulled the container image(s) for the pod.",
      ),
    },
  },
  [`${CORE}.PodCondition`]: {
    description: "PodCondition contains details for the current condition of this pod.",
    type: "object",
    required: ["type", "status"],
    properties: {
      message: text("Human-readable message indicating details about last transition."),
      status: text(
        "Status is the status of the condition. Can be True, False, Unknown. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions",
        { default: "" },
      ),
      type: text(
        "Type is the type of the condition. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions",
        { default: "" },
      ),
    },
  },
  [`${CORE}.Service`]: {
    description:
      "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.",
    type: "object",
    properties: {
      ...typeMeta(),
      spec: object(`${CORE}.ServiceSpec`, "Spec defines the behavior of a service."),
      status: object(`${CORE}.ServiceStatus`, "Most recently observed status of the service."),
    },
    ...kindOf("", "v1", "Service"),
  },
  [`${CORE}.ServiceSpec`]: {
    description: "ServiceSpec describes the attributes that a user creates on a service.",
    type: "object",
    properties: {
      clusterIP: text(
        'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. "None" can be specified for headless services when proxying is not required.',
      ),
      ports: listOf(
        `${CORE}.ServicePort`,
        "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies",
        { "x-kubernetes-list-map-keys": ["port", "protocol"], "x-kubernetes-list-type": "map" },
      ),
      selector: {
        ...stringMap(
          "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify.",
        ),
        "x-kubernetes-map-type": "atomic",
      },
      sessionAffinity: oneOf(
        'Supports "ClientIP" and "None". Used to maintain session affinity. Enable client IP based session affinity. Must be ClientIP or None. Defaults to None.',
        [
          ["ClientIP", "is the Client IP based."],
          ["None", "- no session affinity."],
        ],
      ),
      type: oneOf(
        'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints.',
        [
          ["ClusterIP", "means a service will only be accessible inside the cluster, via the cluster IP."],
          [
            "ExternalName",
            "means a service consists of only a reference to an external name that kubedns or equivalent will return as a CNAME record, with no exposing or proxying of any pods involved.",
          ],
          [
            "LoadBalancer",
            "means a service will be exposed via an external load balancer (if the cloud provider supports it), in addition to 'NodePort' type.",
          ],
          [
            "NodePort",
            "means a service will be exposed on one port of every node, in addition to 'ClusterIP' type.",
          ],
        ],
      ),
    },
  },
  [`${CORE}.ServicePort`]: {
    description: "ServicePort contains information on service's port.",
    type: "object",
    required: ["port"],
    properties: {
      name: text("The name of this port within the service. This must be a DNS_LABEL."),
      nodePort: integer(
        "The port on each node on which this service is exposed when type is NodePort or LoadBalancer.",
      ),
      port: integer("The port that will be exposed by this service."),
      protocol: oneOf(
        'The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.',
        [
          ["SCTP", "is the SCTP protocol."],
          ["TCP", "is the TCP protocol."],
          ["UDP", "is the UDP protocol."],
        ],
        { default: "TCP" },
      ),
      targetPort: object(
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        "Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535.",
      ),
    },
  },
  [`${CORE}.ServiceStatus`]: {
    description: "ServiceStatus represents the current status of a service.",
    type: "object",
    properties: {
      loadBalancer: {
        type: "object",
        description: "LoadBalancer contains the current status of the load-balancer, if one is present.",
      },
    },
  },
  [`${CORE}.ConfigMap`]: {
    description: "ConfigMap holds configuration data for pods to consume.",
    type: "object",
    properties: {
      ...typeMeta(),
      binaryData: {
        type: "object",
        additionalProperties: { type: "string", format: "byte" },
        description:
          "BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'. BinaryData can contain byte sequences that are not in the UTF-8 range.",
      },
      data: stringMap(
        "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field.",
      ),
      immutable: bool(
        "Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.",
      ),
    },
    ...kindOf("", "v1", "ConfigMap"),
  },
  [`${APPS}.Deployment`]: {
    description: "Deployment enables declarative updates for Pods and ReplicaSets.",
    type: "object",
    properties: {
      ...typeMeta(),
      spec: object(`${APPS}.DeploymentSpec`, "Specification of the desired behavior of the Deployment."),
      status: object(`${APPS}.DeploymentStatus`, "Most recently observed status of the Deployment."),
    },
    ...kindOf("apps", "v1", "Deployment"),
  },
  [`${APPS}.DeploymentSpec`]: {
    description: "DeploymentSpec is the specification of the desired behavior of the Deployment.",
    type: "object",
    required: ["selector", "template"],
    properties: {
      minReadySeconds: integer(
        "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)",
      ),
      paused: bool("Indicates that the deployment is paused."),
      progressDeadlineSeconds: integer(
        "The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Note that progress will not be estimated during the time a deployment is paused. Defaults to 600s.",
      ),
      replicas: integer(
        "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.",
      ),
      revisionHistoryLimit: integer(
        "The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.",
      ),
      selector: object(
        `${META}.LabelSelector`,
        "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.",
      ),
      strategy: {
        ...object(
          `${APPS}.DeploymentStrategy`,
          "The deployment strategy to use to replace existing pods with new ones.",
        ),
        "x-kubernetes-patch-strategy": "retainKeys",
      },
      template: object(
        `${CORE}.PodTemplateSpec`,
        'Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is "Always".',
      ),
    },
  },
  [`${APPS}.DeploymentStrategy`]: {
    description: "DeploymentStrategy describes how to replace existing pods with new ones.",
    type: "object",
    properties: {
      rollingUpdate: object(
        `${APPS}.RollingUpdateDeployment`,
        "Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.",
      ),
      type: oneOf('Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.', [
        ["Recreate", "Kill all existing pods before creating new ones."],
        [
          "RollingUpdate",
          "Replace the old ReplicaSets by new one using rolling update i.e gradually scale down the old ReplicaSets and scale up the new one.",
        ],
      ]),
    },
  },
  [`${APPS}.RollingUpdateDeployment`]: {
    description: "Spec to control the desired behavior of rolling update.",
    type: "object",
    properties: {
      maxSurge: object(
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        "The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Absolute number is calculated from percentage by rounding up. Defaults to 25%.",
      ),
      maxUnavailable: object(
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        "The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Absolute number is calculated from percentage by rounding down. This can not be 0 if MaxSurge is 0. Defaults to 25%.",
      ),
    },
  },
  [`${APPS}.DeploymentStatus`]: {
    description: "DeploymentStatus is the most recently observed status of the Deployment.",
    type: "object",
    properties: {
      availableReplicas: integer(
        "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
      ),
      readyReplicas: integer(
        "readyReplicas is the number of pods targeted by this Deployment with a Ready Condition.",
      ),
      replicas: integer(
        "Total number of non-terminated pods targeted by this deployment (their labels match the selector).",
      ),
    },
  },
  [`${CORE}.PodTemplateSpec`]: {
    description: "PodTemplateSpec describes the data a pod should have when created from a template",
    type: "object",
    properties: {
      metadata: object(`${META}.ObjectMeta`, OBJECT_META),
      spec: object(
        `${CORE}.PodSpec`,
        "Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
      ),
    },
  },
};

const EXTENSIONS = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1";

/**
 * CustomResourceDefinitions down to JSONSchemaProps, which holds itself (its properties are a map
 * of JSONSchemaProps): the cycle `explain crd --recursive` must stop at, as in the real API.
 */
const DEFINITIONS: Record<string, Schema> = {
  [`${EXTENSIONS}.CustomResourceDefinition`]: {
    description:
      "CustomResourceDefinition represents a resource that should be exposed on the API server.  Its name MUST be in the format <.spec.name>.<.spec.group>.",
    type: "object",
    required: ["spec"],
    properties: {
      ...typeMeta(),
      spec: object(
        `${EXTENSIONS}.CustomResourceDefinitionSpec`,
        "spec describes how the user wants the resources to appear",
      ),
    },
    ...kindOf("apiextensions.k8s.io", "v1", "CustomResourceDefinition"),
  },
  [`${EXTENSIONS}.CustomResourceDefinitionSpec`]: {
    description: "CustomResourceDefinitionSpec describes how a user wants their resource to appear",
    type: "object",
    required: ["group", "versions"],
    properties: {
      group: text("group is the API group of the defined custom resource.", { default: "" }),
      versions: listOf(
        `${EXTENSIONS}.CustomResourceDefinitionVersion`,
        "versions is the list of all API versions of the defined custom resource.",
        { "x-kubernetes-list-type": "atomic" },
      ),
    },
  },
  [`${EXTENSIONS}.CustomResourceDefinitionVersion`]: {
    description: "CustomResourceDefinitionVersion describes a version for CRD.",
    type: "object",
    required: ["name", "served", "storage"],
    properties: {
      name: text("name is the version name, e.g. \u201cv1\u201d, \u201cv2beta1\u201d, etc.", { default: "" }),
      schema: object(
        `${EXTENSIONS}.CustomResourceValidation`,
        "schema describes the schema used for validation, pruning, and defaulting of this version of the custom resource.",
      ),
      served: {
        ...bool("served is a flag enabling/disabling this version from being served via REST APIs"),
        default: false,
      },
      storage: {
        ...bool("storage indicates this version should be used when persisting custom resources to storage."),
        default: false,
      },
    },
  },
  [`${EXTENSIONS}.CustomResourceValidation`]: {
    description: "CustomResourceValidation is a list of validation methods for CustomResources.",
    type: "object",
    properties: {
      openAPIV3Schema: object(
        `${EXTENSIONS}.JSONSchemaProps`,
        "openAPIV3Schema is the OpenAPI v3 schema to use for validation and pruning.",
      ),
    },
  },
  [`${EXTENSIONS}.JSONSchemaProps`]: {
    description:
      "JSONSchemaProps is a JSON-Schema following Specification Draft 4 (http://json-schema.org/).",
    type: "object",
    properties: {
      description: text(""),
      items: ref(`${EXTENSIONS}.JSONSchemaPropsOrArray`),
      properties: {
        type: "object",
        additionalProperties: { allOf: [ref(`${EXTENSIONS}.JSONSchemaProps`)], default: {} },
      },
      required: strings(""),
      type: text(""),
      "x-kubernetes-preserve-unknown-fields": bool(
        "x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema.",
      ),
    },
  },
  [`${EXTENSIONS}.JSONSchemaPropsOrArray`]: {
    description:
      "JSONSchemaPropsOrArray represents a value that can either be a JSONSchemaProps or an array of JSONSchemaProps. Mainly here for serialization purposes.",
  },
};

/** The schema name a kind's API types live under: io.k8s.api.<group>.<version>, or the CRD's reversed group. */
function schemaName(r: ResourceType, kind: string): string {
  if (r.group === "") return `${CORE}.${kind}`;
  if (r.group === "apiextensions.k8s.io") return `${EXTENSIONS}.${kind}`;
  const builtIn = r.group.endsWith(".k8s.io") ? r.group.slice(0, -".k8s.io".length) : r.group;
  if (!r.group.includes(".") || r.group.endsWith(".k8s.io"))
    return `io.k8s.api.${builtIn.split(".")[0]}.${r.version}.${kind}`;
  return `${r.group.split(".").reverse().join(".")}.${r.version}.${kind}`;
}

const isCustom = (r: ResourceType) => r.group.includes(".") && !r.group.endsWith(".k8s.io");

/** A kind not described field by field: its metadata, and a spec and status named after it. */
function generic(r: ResourceType): Record<string, Schema> {
  const name = schemaName(r, r.kind);
  if (isCustom(r)) {
    // As a CRD whose schema preserves unknown fields publishes it: the object and its identity only.
    return {
      [name]: {
        type: "object",
        "x-kubernetes-preserve-unknown-fields": true,
        ...kindOf(r.group, r.version, r.kind),
      },
    };
  }
  return {
    [name]: {
      description: `${r.kind} is a ${r.namespaced ? "namespaced" : "cluster-scoped"} object of the ${groupVersion(r)} API.`,
      type: "object",
      properties: {
        ...typeMeta(),
        spec: object(`${name}Spec`, `Spec defines the desired state of the ${r.kind}.`),
        status: object(`${name}Status`, `Status is the most recently observed state of the ${r.kind}.`),
      },
      ...kindOf(r.group, r.version, r.kind),
    },
    [`${name}Spec`]: { description: `${r.kind}Spec is the desired state of a ${r.kind}.`, type: "object" },
    [`${name}Status`]: {
      description: `${r.kind}Status is the observed state of a ${r.kind}.`,
      type: "object",
    },
  };
}

/** Every schema by name: the detailed ones, each other kind's generic one, and each kind's list. */
function allSchemas(): Record<string, Schema> {
  const all: Record<string, Schema> = {};
  for (const r of RESOURCES) {
    const name = schemaName(r, r.kind);
    const described = DETAILED[name] ?? DEFINITIONS[name];
    Object.assign(all, described ? { [name]: described } : generic(r));
    all[schemaName(r, r.listKind)] = {
      description: `${r.listKind} is a list of ${r.kind} objects.`,
      type: "object",
      required: ["items"],
      properties: {
        apiVersion: text(API_VERSION),
        items: listOf(name, `Items is the list of ${r.kind} objects.`),
        kind: text(KIND),
        metadata: object(`${META}.ListMeta`, "Standard list metadata."),
      },
      ...kindOf(r.group, r.version, r.listKind),
    };
  }
  return { ...DETAILED, ...DEFINITIONS, ...all, [`${META}.ListMeta`]: LIST_META };
}

const LIST_META: Schema = {
  description:
    "ListMeta describes metadata that synthetic resources must have, including lists and various status objects.",
  type: "object",
  properties: {
    continue: text("continue may be set if the user set a limit on the number of items returned."),
    resourceVersion: text("String that identifies the server's internal version of this object."),
  },
};

/** The schemas `roots` reach through their references, themselves included. */
function reachable(schemas: Record<string, Schema>, roots: string[]): Record<string, Schema> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !schemas[name]) return;
    seen.add(name);
    JSON.stringify(schemas[name], (key, value) => {
      if (key === "$ref" && typeof value === "string") visit(value.slice(PREFIX.length));
      return value;
    });
  };
  for (const root of roots) visit(root);
  return Object.fromEntries([...seen].sort().map((name) => [name, schemas[name] as Schema]));
}

/** One group-version's document: its resources' paths and the schemas they reach. */
function document(group: string, version: string): Schema {
  const schemas = allSchemas();
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  const base = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
  const paths: Record<string, Schema> = {};
  for (const r of resources) {
    const gvk = { group, kind: r.kind, version };
    const operations = { get: { "x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "list" } };
    const one = { get: { "x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "get" } };
    if (r.namespaced) {
      paths[`${base}/namespaces/{namespace}/${r.resource}`] = operations;
      paths[`${base}/namespaces/{namespace}/${r.resource}/{name}`] = one;
    }
    // Namespaced kinds are listed across namespaces here, as the API server serves them.
    paths[`${base}/${r.resource}`] = operations;
    if (!r.namespaced) paths[`${base}/${r.resource}/{name}`] = one;
  }
  const roots = resources.flatMap((r) => [schemaName(r, r.kind), schemaName(r, r.listKind)]);
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.4" },
    paths,
    components: { schemas: reachable(schemas, roots) },
  };
}

/** What /openapi/v3 answers, and each document by its path (`api/v1`, `apis/apps/v1`), as served. */
export function openapiV3(): { root: Schema; documents: Map<string, string> } {
  const documents = new Map<string, string>();
  const paths: Record<string, Schema> = {};
  const groupVersions = new Map(RESOURCES.map((r) => [groupVersion(r), r]));
  for (const r of groupVersions.values()) {
    const path = r.group === "" ? `api/${r.version}` : `apis/${r.group}/${r.version}`;
    const body = JSON.stringify(document(r.group, r.version));
    documents.set(path, body);
    const hash = createHash("sha512").update(body).digest("hex").toUpperCase();
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { root: { paths }, documents };
}
