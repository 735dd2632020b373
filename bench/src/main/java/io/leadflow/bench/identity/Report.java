package io.leadflow.bench.identity;

import java.io.PrintStream;

/** Where the benchmarks print their figures (a benchmark's output is its purpose). */
final class Report {

    private static final PrintStream OUT = System.out;

    private Report() {}

    static void print(String line) {
        OUT.println(line);
        OUT.flush();
    }
}
