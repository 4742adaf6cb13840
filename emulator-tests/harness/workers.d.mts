export function ownWorkers(stageDir?: string, codebases?: string[]): number[];
export function recycleWorkers(stageDir?: string): Promise<void>;
