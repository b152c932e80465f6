// Lesson 6 — reference solutions and typical mistakes, one section per exercise, for teachers and for the tests:
// `run --solutions` puts each solution into its exercise cell (every check must print ✔), `run --mistakes` puts each
// mistake in instead (its check must print ✘ with the hint after the dash). See tools/Notebooks/Engine/ExerciseCatalog.cs.

//# solution 6.1
// Exercise 6.1: (batches per epoch ⌈N/B⌉, samples in the last batch) for N samples, batch size B.
(int Count, int Last) UpdatesPerEpoch(int n, int b)
{
    int count = (n + b - 1) / b;          // ⌈N/B⌉ in whole numbers
    return (count, n - (count - 1) * b);  // the last batch holds what is left
}

//# mistake 6.1: N / B rounds down and drops the last short batch: use (N + B − 1) / B
(int Count, int Last) UpdatesPerEpoch(int n, int b) => (n / b, b);

//# mistake 6.1: when B divides N the last batch is a full one of B samples, not N mod B = 0
(int Count, int Last) UpdatesPerEpoch(int n, int b) => ((n + b - 1) / b, n % b);

//# mistake 6.1: off by one: N / B + 1 is one batch too many when B divides N
(int Count, int Last) UpdatesPerEpoch(int n, int b)
{
    int count = n / b + 1;
    return (count, n % b == 0 ? b : n % b);
}

//# solution 6.2
// Exercise 6.2: cut an epoch's order into batches of B (the last one holds what is left).
int[][] Batches(int[] order, int b)
{
    int count = (order.Length + b - 1) / b;
    var batches = new int[count][];
    for (int k = 0; k < count; k++)
        batches[k] = order[(k * b)..Math.Min(k * b + b, order.Length)];
    return batches;
}

//# mistake 6.2: the last short batch is missing: keep the N − (⌈N/B⌉ − 1)·B samples left over
int[][] Batches(int[] order, int b)
{
    var batches = new int[order.Length / b][];
    for (int k = 0; k < batches.Length; k++)
        batches[k] = order[(k * b)..(k * b + b)];
    return batches;
}

//# mistake 6.2: use the shuffled order: batch k holds order[k·B …], not the numbers k·B …
int[][] Batches(int[] order, int b) =>
    Enumerable.Range(0, order.Length).Chunk(b).ToArray();

//# mistake 6.2: off by one: a batch holds B entries, order[k·B] … order[k·B + B − 1]
int[][] Batches(int[] order, int b)
{
    int count = (order.Length + b - 1) / b;
    var batches = new int[count][];
    for (int k = 0; k < count; k++)
        batches[k] = order[(k * b)..Math.Min(k * b + b + 1, order.Length)];
    return batches;
}
