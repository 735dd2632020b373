package io.leadflow.api.web;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

/**
 * Every endpoint the api's functional routes serve, read from the routes themselves, so the OpenAPI document
 * and the tests that must cover every endpoint cannot drift from what is actually served.
 */
public final class RouteTable {

    /** One endpoint, e.g. {@code GET /api/v1/customers/{id}}. */
    public record Route(HttpMethod method, String path) {
        @Override
        public String toString() {
            return method.name() + " " + path;
        }
    }

    private RouteTable() {}

    /** The endpoints of {@code routers}, sorted by path then method. */
    public static List<Route> of(List<? extends RouterFunction<?>> routers) {
        Set<Route> routes = new TreeSet<>(
                Comparator.comparing(Route::path).thenComparing(r -> r.method().name()));
        for (RouterFunction<?> router : routers) {
            router.accept(new Collector(routes));
        }
        return List.copyOf(routes);
    }

    private static final class Collector implements RouterFunctions.Visitor {

        private final Set<Route> routes;
        private final Deque<String> prefixes = new ArrayDeque<>();

        Collector(Set<Route> routes) {
            this.routes = routes;
        }

        @Override
        public void startNested(RequestPredicate predicate) {
            Predicate found = Predicate.of(predicate);
            prefixes.push(prefix() + (found.path == null ? "" : found.path));
        }

        @Override
        public void endNested(RequestPredicate predicate) {
            prefixes.pop();
        }

        @Override
        public void route(RequestPredicate predicate, HandlerFunction<?> handler) {
            Predicate found = Predicate.of(predicate);
            for (HttpMethod method : found.methods) {
                routes.add(new Route(method, prefix() + (found.path == null ? "" : found.path)));
            }
        }

        private String prefix() {
            return prefixes.isEmpty() ? "" : prefixes.peek();
        }

        @Override
        public void resources(Function<ServerRequest, Mono<Resource>> lookup) {}

        @Override
        public void attributes(Map<String, Object> attributes) {}

        @Override
        public void unknown(RouterFunction<?> router) {}
    }

    /** The methods and path pattern of a route predicate such as {@code GET("/api/v1/customers")}. */
    private static final class Predicate implements RequestPredicates.Visitor {

        private final List<HttpMethod> methods = new ArrayList<>();
        private String path;

        static Predicate of(RequestPredicate predicate) {
            Predicate found = new Predicate();
            predicate.accept(found);
            return found;
        }

        @Override
        public void method(Set<HttpMethod> methods) {
            this.methods.addAll(methods);
        }

        @Override
        public void path(String pattern) {
            this.path = pattern;
        }

        @Override
        public void pathExtension(String extension) {}

        @Override
        public void header(String name, String value) {}

        @Override
        public void queryParam(String name, String value) {}

        @Override
        public void version(String version) {}

        @Override
        public void startAnd() {}

        @Override
        public void and() {}

        @Override
        public void endAnd() {}

        @Override
        public void startOr() {}

        @Override
        public void or() {}

        @Override
        public void endOr() {}

        @Override
        public void startNegate() {}

        @Override
        public void endNegate() {}

        @Override
        public void unknown(RequestPredicate predicate) {}
    }
}
