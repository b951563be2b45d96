/**
 * A 3D scatter (three.js) for Pareto fronts over three metrics: orbit with the mouse, hover a point
 * to see its label, click to select it. Renders on demand (only when something changes), so an
 * idle view costs nothing while a run streams in.
 */
import { useEffect, useRef, useState } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';

export interface Point3 {
  key: string | number;
  x: number;
  y: number;
  z: number;
  title: string;
  color?: string;
}

interface Props {
  points: Point3[];
  labels: [string, string, string];
  selectedKey: string | number | null;
  onSelect: (key: string | number) => void;
  logAxes?: [boolean, boolean, boolean];
}

function cssColor(name: string, fallback: string): THREE.Color {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  try {
    return new THREE.Color(v || fallback);
  } catch {
    return new THREE.Color(fallback);
  }
}

export function Scatter3D({ points, labels, selectedKey, onSelect, logAxes = [false, false, false] }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const api = useRef<{ setPoints: (p: Point3[], sel: string | number | null) => void; dispose: () => void } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [tip, setTip] = useState<{ x: number; y: number; text: string } | null>(null);
  const axisRef = useRef<HTMLDivElement>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let renderer: THREE.WebGLRenderer;
    try {
      renderer = new THREE.WebGLRenderer({ antialias: true, alpha: true });
    } catch (e) {
      setFailed(`The 3D view needs WebGL, which this window does not offer (${(e as Error).message}).`);
      return;
    }
    const width = () => el.clientWidth || 400;
    const height = () => el.clientHeight || 360;
    renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    renderer.setSize(width(), height());
    el.prepend(renderer.domElement);
    const scene = new THREE.Scene();
    const camera = new THREE.PerspectiveCamera(40, width() / height(), 0.01, 100);
    camera.position.set(2.1, 1.6, 2.3);
    const controls = new OrbitControls(camera, renderer.domElement);
    controls.target.set(0.5, 0.5, 0.5);
    controls.enableDamping = false;
    controls.update();

    // Unit cube frame and axis lines.
    const lineColor = cssColor('--border-2', '#888');
    const frame = new THREE.LineSegments(new THREE.EdgesGeometry(new THREE.BoxGeometry(1, 1, 1)), new THREE.LineBasicMaterial({ color: lineColor, transparent: true, opacity: 0.6 }));
    frame.position.set(0.5, 0.5, 0.5);
    scene.add(frame);
    const axes = new THREE.Group();
    const axisColors = [cssColor('--c1', '#36f'), cssColor('--c2', '#e62'), cssColor('--c3', '#1a6')];
    ([[1, 0, 0], [0, 1, 0], [0, 0, 1]] as const).forEach((d, i) => {
      const g = new THREE.BufferGeometry().setFromPoints([new THREE.Vector3(0, 0, 0), new THREE.Vector3(...d).multiplyScalar(1.08)]);
      axes.add(new THREE.Line(g, new THREE.LineBasicMaterial({ color: axisColors[i] })));
    });
    scene.add(axes);
    scene.add(new THREE.AmbientLight(0xffffff, 0.7));
    const dl = new THREE.DirectionalLight(0xffffff, 1.2);
    dl.position.set(3, 4, 2);
    scene.add(dl);

    const sphere = new THREE.SphereGeometry(0.022, 14, 10);
    const group = new THREE.Group();
    scene.add(group);
    let meshes: THREE.Mesh[] = [];
    let data: Point3[] = [];
    let hovered: THREE.Mesh | null = null;

    const axisLabelEls = axisRef.current ? [...axisRef.current.children] as HTMLElement[] : [];
    const render = () => {
      renderer.render(scene, camera);
      // Axis captions follow the axis ends.
      const ends = [new THREE.Vector3(1.15, 0, 0), new THREE.Vector3(0, 1.15, 0), new THREE.Vector3(0, 0, 1.15)];
      ends.forEach((v, i) => {
        const p = v.clone().project(camera);
        const lab = axisLabelEls[i];
        if (lab) lab.style.transform = `translate(${((p.x + 1) / 2) * width()}px, ${((1 - p.y) / 2) * height()}px)`;
      });
    };
    let raf = 0;
    const request = () => {
      if (!raf)
        raf = requestAnimationFrame(() => {
          raf = 0;
          render();
        });
    };
    controls.addEventListener('change', request);

    const setPoints = (pts: Point3[], sel: string | number | null) => {
      data = pts;
      for (const m of meshes) {
        group.remove(m);
        (m.material as THREE.Material).dispose();
      }
      meshes = [];
      const accent = cssColor('--accent', '#36f');
      const selColor = cssColor('--accent-2', '#f80');
      for (let i = 0; i < pts.length; i++) {
        const p = pts[i];
        const isSel = p.key === sel;
        const mat = new THREE.MeshStandardMaterial({ color: p.color ? new THREE.Color(p.color) : isSel ? selColor : accent, roughness: 0.5, metalness: 0.1 });
        const m = new THREE.Mesh(sphere, mat);
        m.position.set(p.x, p.y, p.z);
        if (isSel) m.scale.setScalar(1.8);
        m.userData.index = i;
        group.add(m);
        meshes.push(m);
      }
      request();
    };

    const ray = new THREE.Raycaster();
    const ndc = new THREE.Vector2();
    const pick = (ev: PointerEvent | MouseEvent): THREE.Mesh | null => {
      const r = renderer.domElement.getBoundingClientRect();
      ndc.set(((ev.clientX - r.left) / r.width) * 2 - 1, -((ev.clientY - r.top) / r.height) * 2 + 1);
      ray.setFromCamera(ndc, camera);
      const hit = ray.intersectObjects(meshes, false)[0];
      return (hit?.object as THREE.Mesh) ?? null;
    };
    const onMove = (ev: PointerEvent) => {
      const m = pick(ev);
      if (m !== hovered) {
        if (hovered) hovered.scale.divideScalar(1.4);
        hovered = m;
        if (m) m.scale.multiplyScalar(1.4);
        request();
      }
      renderer.domElement.style.cursor = m ? 'pointer' : 'grab';
      if (m) {
        const r = renderer.domElement.getBoundingClientRect();
        setTip({ x: ev.clientX - r.left + 12, y: ev.clientY - r.top + 12, text: data[m.userData.index as number]?.title ?? '' });
      } else setTip(null);
    };
    let downAt: [number, number] | null = null;
    const onDown = (ev: PointerEvent) => {
      downAt = [ev.clientX, ev.clientY];
    };
    const onUp = (ev: PointerEvent) => {
      if (!downAt || Math.hypot(ev.clientX - downAt[0], ev.clientY - downAt[1]) > 4) return;
      const m = pick(ev);
      if (m) onSelectRef.current(data[m.userData.index as number].key);
    };
    renderer.domElement.addEventListener('pointermove', onMove);
    renderer.domElement.addEventListener('pointerdown', onDown);
    renderer.domElement.addEventListener('pointerup', onUp);
    renderer.domElement.addEventListener('pointerleave', () => setTip(null));
    renderer.domElement.dataset.testid = 'pareto-3d-canvas';
    const ro = new ResizeObserver(() => {
      renderer.setSize(width(), height());
      camera.aspect = width() / height();
      camera.updateProjectionMatrix();
      request();
    });
    ro.observe(el);

    api.current = {
      setPoints,
      dispose: () => {
        cancelAnimationFrame(raf);
        ro.disconnect();
        controls.dispose();
        for (const m of meshes) (m.material as THREE.Material).dispose();
        sphere.dispose();
        renderer.dispose();
        renderer.domElement.remove();
      },
    };
    request();
    return () => {
      api.current?.dispose();
      api.current = null;
    };
  }, []);

  useEffect(() => {
    api.current?.setPoints(points, selectedKey);
  }, [points, selectedKey]);

  if (failed) return <div className="callout warn small">{failed}</div>;
  return (
    <div className="three-host" ref={host} data-testid="pareto-3d">
      <div ref={axisRef} className="three-axes" aria-hidden>
        {labels.map((l, i) => (
          <span key={i} className={`three-axis a${i}`}>
            {l}
            {logAxes[i] ? ' (log)' : ''}
          </span>
        ))}
      </div>
      {tip && (
        <div className="plot-tip" style={{ left: tip.x, top: tip.y }}>
          {tip.text.split('\n').map((t, i) => (
            <div key={i}>{t}</div>
          ))}
        </div>
      )}
    </div>
  );
}
