package dev.chirp.sessions.starterapp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Keeps every failure analysis that Boot reports, so a test can assert the text a user would see.
 * Registered for the tests in {@code META-INF/spring.factories}, beside Boot's logging reporter.
 */
public class CapturedFailureAnalyses implements FailureAnalysisReporter {

    static final List<FailureAnalysis> REPORTED = new CopyOnWriteArrayList<>();

    @Override
    public void report(FailureAnalysis analysis) {
        REPORTED.add(analysis);
    }
}
