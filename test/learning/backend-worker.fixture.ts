// Worker-thread fixture for backend.test.ts: loads TensorFlow.js through the picker, trains nothing,
// computes one small matmul and reports the backend and the result.
import { parentPort } from 'node:worker_threads';
import { loadTf, backendReport } from '../../main/learning/backend.ts';

const { tf, backend } = await loadTf();
const again = await loadTf();
const y = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]])).dataSync();
parentPort?.postMessage({ backend, same: again.tf === tf, y: Array.from(y), report: backendReport(), tfBackend: tf.getBackend() });
