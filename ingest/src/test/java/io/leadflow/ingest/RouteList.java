package io.leadflow.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

/** The method and path of every functional route of a context, read with the router visitors. */
record RouteList(String method, String path) {

    @SuppressWarnings({"rawtypes", "unchecked"})
    static List<RouteList> of(ApplicationContext context) {
        List<RouteList> routes = new ArrayList<>();
        for (RouterFunction<?> router :
                context.getBeansOfType(RouterFunction.class).values()) {
            router.accept(new RouterFunctions.Visitor() {
                @Override
                public void startNested(RequestPredicate predicate) {}

                @Override
                public void endNested(RequestPredicate predicate) {}

                @Override
                public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
                    Collector collector = new Collector();
                    predicate.accept(collector);
                    for (HttpMethod method : collector.methods) {
                        routes.add(new RouteList(method.name(), collector.path));
                    }
                }

                @Override
                public void resources(Function<ServerRequest, Mono<Resource>> lookupFunction) {}

                @Override
                public void attributes(java.util.Map<String, Object> attributes) {}

                @Override
                public void unknown(RouterFunction<?> routerFunction) {}
            });
        }
        return routes;
    }

    private static final class Collector implements RequestPredicates.Visitor {
        Set<HttpMethod> methods = Set.of();
        String path;

        @Override
        public void method(Set<HttpMethod> methods) {
            this.methods = methods;
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
