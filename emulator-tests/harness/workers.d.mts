export function ownWorkers(stageDir?: string, codebases?: string[]): number[];
export function recycleWorkers(stageDir?: string): Promise<void>;
export function reapIdleWorkers(stageDir: string, options?: { idleMs?: number; everyMs?: number }): () => void;
