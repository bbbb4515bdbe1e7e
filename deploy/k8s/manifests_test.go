// Package k8s holds no code: its test decodes the Kubernetes manifests
// beside it.
package k8s

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/scalora/scalora/pipeline/app"
)

// decode reads file into out, refusing unknown fields, and checks its
// kind.
func decode(t *testing.T, file, kind string, out any) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("\n---")) {
		t.Fatalf("%s holds several documents; keep one object per file", file)
	}
	var meta struct {
		Kind string `json:"kind"`
	}
	if err := yaml.Unmarshal(raw, &meta); err != nil || meta.Kind != kind {
		t.Fatalf("%s: kind %q (%v), want %s", file, meta.Kind, err, kind)
	}
	if err := yaml.UnmarshalStrict(raw, out); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

type manifests struct {
	cm  corev1.ConfigMap
	dep appsv1.Deployment
	svc corev1.Service
}

func load(t *testing.T) manifests {
	var m manifests
	decode(t, "configmap.yaml", "ConfigMap", &m.cm)
	decode(t, "deployment.yaml", "Deployment", &m.dep)
	decode(t, "service.yaml", "Service", &m.svc)
	return m
}

func TestKustomizationListsEveryManifest(t *testing.T) {
	var k struct {
		Resources []string `json:"resources"`
	}
	raw, err := os.ReadFile("kustomization.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &k); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.yaml")
	want := map[string]bool{}
	for _, f := range files {
		if f != "kustomization.yaml" {
			want[f] = true
		}
	}
	for _, r := range k.Resources {
		if !want[r] {
			t.Errorf("kustomization lists %s, which is not a manifest here", r)
		}
		delete(want, r)
	}
	for f := range want {
		t.Errorf("%s is not in kustomization.yaml", f)
	}
}

func TestDeploymentProbesResourcesAndConfig(t *testing.T) {
	m := load(t)
	spec := m.dep.Spec.Template.Spec
	if len(spec.Containers) != 1 {
		t.Fatalf("%d containers", len(spec.Containers))
	}
	c := spec.Containers[0]

	port := map[string]int32{}
	for _, p := range c.Ports {
		port[p.Name] = p.ContainerPort
	}
	probe := func(name string, p *corev1.Probe, path string) {
		if p == nil || p.HTTPGet == nil {
			t.Errorf("%s probe missing", name)
			return
		}
		if p.HTTPGet.Path != path || resolve(p.HTTPGet.Port, port) != 8080 {
			t.Errorf("%s probe GET %s on %v, want %s on 8080", name, p.HTTPGet.Path, p.HTTPGet.Port.String(), path)
		}
	}
	probe("liveness", c.LivenessProbe, "/healthz")
	probe("readiness", c.ReadinessProbe, "/readyz")

	for _, ctr := range append(spec.InitContainers, c) {
		if ctr.Resources.Requests.Cpu().IsZero() || ctr.Resources.Requests.Memory().IsZero() ||
			ctr.Resources.Limits.Memory().IsZero() {
			t.Errorf("container %s lacks cpu/memory requests or a memory limit", ctr.Name)
		}
		checkConfigMounted(t, m, spec, ctr)
	}

	if m.dep.Spec.Selector == nil || !subset(m.dep.Spec.Selector.MatchLabels, m.dep.Spec.Template.Labels) {
		t.Error("the deployment's selector does not match its pod labels")
	}
}

// checkConfigMounted checks that ctr's --config file is the ConfigMap's
// key, mounted from the ConfigMap, and that it loads with the same loader
// as "scalora run", with the secret's variable set.
func checkConfigMounted(t *testing.T, m manifests, spec corev1.PodSpec, ctr corev1.Container) {
	t.Helper()
	cfgPath := ""
	for i, a := range ctr.Args {
		if a == "--config" && i+1 < len(ctr.Args) {
			cfgPath = ctr.Args[i+1]
		}
	}
	var mount *corev1.VolumeMount
	for i, vm := range ctr.VolumeMounts {
		if strings.HasPrefix(cfgPath, vm.MountPath+"/") {
			mount = &ctr.VolumeMounts[i]
		}
	}
	if mount == nil {
		t.Fatalf("container %s: --config %q is on no mount", ctr.Name, cfgPath)
	}
	var vol *corev1.Volume
	for i, v := range spec.Volumes {
		if v.Name == mount.Name {
			vol = &spec.Volumes[i]
		}
	}
	if vol == nil || vol.ConfigMap == nil || vol.ConfigMap.Name != m.cm.Name {
		t.Fatalf("container %s: %s is not mounted from ConfigMap %s", ctr.Name, mount.MountPath, m.cm.Name)
	}
	text, ok := m.cm.Data[filepath.Base(cfgPath)]
	if !ok {
		t.Fatalf("ConfigMap %s has no key %s", m.cm.Name, filepath.Base(cfgPath))
	}

	secretEnv := false
	for _, e := range ctr.Env {
		if e.Name == "CLICKHOUSE_PASSWORD" && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			secretEnv = true
		}
	}
	if !secretEnv {
		t.Errorf("container %s: CLICKHOUSE_PASSWORD does not come from a Secret", ctr.Name)
	}

	t.Setenv("CLICKHOUSE_PASSWORD", "from-secret")
	t.Setenv("SCALORA_API_KEYS", "from-secret") // the Deployment's env, from Secret scalora-api
	file := filepath.Join(t.TempDir(), "scalora.yaml")
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := app.Load(file)
	if err != nil {
		t.Fatalf("the ConfigMap's configuration does not load: %v", err)
	}
	if cfg.Store.Password != "from-secret" || cfg.Store.Backend != "clickhouse" {
		t.Errorf("store %s with password %q, want clickhouse with the secret's", cfg.Store.Backend, cfg.Store.Password)
	}
	if cfg.HTTP.Addr != "0.0.0.0:8080" {
		t.Errorf("http.addr %q: the probes on 8080 would not reach it", cfg.HTTP.Addr)
	}
}

func TestServiceSelectsThePodsAndTheirPort(t *testing.T) {
	m := load(t)
	if !subset(m.svc.Spec.Selector, m.dep.Spec.Template.Labels) || len(m.svc.Spec.Selector) == 0 {
		t.Errorf("service selector %v does not select pods labelled %v", m.svc.Spec.Selector, m.dep.Spec.Template.Labels)
	}
	port := map[string]int32{}
	for _, p := range m.dep.Spec.Template.Spec.Containers[0].Ports {
		port[p.Name] = p.ContainerPort
	}
	for _, p := range m.svc.Spec.Ports {
		if resolve(p.TargetPort, port) != 8080 {
			t.Errorf("service port %s targets %s, not the container's 8080", p.Name, p.TargetPort.String())
		}
	}
}

func resolve(p intstr.IntOrString, named map[string]int32) int32 {
	if p.Type == intstr.Int {
		return p.IntVal
	}
	return named[p.StrVal]
}

func subset(sel, labels map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}
