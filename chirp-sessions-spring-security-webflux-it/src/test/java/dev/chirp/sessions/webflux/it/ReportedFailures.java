package dev.chirp.sessions.webflux.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/** Every failure analysis Boot reports at startup, beside its own log reporter (see spring.factories). */
public class ReportedFailures implements FailureAnalysisReporter {

    static final List<FailureAnalysis> ANALYSES = new CopyOnWriteArrayList<>();

    @Override
    public void report(FailureAnalysis analysis) {
        ANALYSES.add(analysis);
    }
}
