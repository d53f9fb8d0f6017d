"""Read the ``types-katana`` stubs (Katana 5.0v5's real API) with ``ast``.

Test equipment. The stubs are ``.pyi`` files in ``<Top>-stubs`` folders of
the installed distribution ``types-katana``; nothing is imported from them.
:class:`Stubs` answers "what is ``FarmAPI.GetSortedDependencies`` in the real
API": it follows the stubs' re-exports (``from X import Y as Y``,
``import X as Y``, ``Y = X``) and submodule folders, so a name is looked up
the way Python would find it in a running Katana.

Entries are small tuples:

- ``("module", dotted)``;
- ``("class", ClassDef, module)``;
- ``("function", [FunctionDef, ...])`` (several for ``@overload``);
- ``("property", FunctionDef)``;
- ``("value", annotation_or_None, module)`` for constants and instances.
"""

import ast
import os

DISTRIBUTION = "types-katana"
VERSION = "5.0.5.0"


def _metadata():
    try:
        from importlib import metadata  # novermin
    except ImportError:  # Python 3.7
        try:
            import importlib_metadata as metadata  # type: ignore
        except ImportError:
            return None
    return metadata


def find_stub_root():
    """The folder holding the ``*-stubs`` packages of ``types-katana``, or None."""
    metadata = _metadata()
    if metadata is None:
        return None
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None
    for path in dist.files or ():
        parts = str(path).replace("\\", "/").split("/")
        if parts[0] == "Katana-stubs":
            return os.path.dirname(os.path.dirname(str(dist.locate_file(path))))
    return None


def installed_version():
    metadata = _metadata()
    if metadata is None:
        return None
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


class StubModule(object):
    """The names one ``.pyi`` file defines or re-exports."""

    def __init__(self, dotted, path, is_package):
        self.dotted = dotted
        self.path = path
        self.is_package = is_package
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), path)
        self.names = {}
        self._collect(tree.body, self.names)

    def _package(self):
        return self.dotted if self.is_package else self.dotted.rpartition(".")[0]

    def _absolute(self, node):
        if not node.level:
            return node.module
        base = self._package().split(".")
        if node.level > 1:
            base = base[: -(node.level - 1)]
        return ".".join(base + ([node.module] if node.module else []))

    def _collect(self, body, names):
        for node in body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        names[alias.asname] = ("module", alias.name)
                    else:
                        top = alias.name.split(".")[0]
                        names.setdefault(top, ("module", top))
            elif isinstance(node, ast.ImportFrom):
                source = self._absolute(node)
                for alias in node.names:
                    if alias.name != "*":
                        names[alias.asname or alias.name] = ("from", source, alias.name)
            elif isinstance(node, ast.ClassDef):
                names[node.name] = ("class", node, self)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                decorators = {_decorator_name(d) for d in node.decorator_list}
                if "property" in decorators or any(d.endswith(".setter") for d in decorators):
                    names.setdefault(node.name, ("property", node))
                    continue
                previous = names.get(node.name)
                if previous and previous[0] == "function" and "overload" in decorators:
                    previous[1].append(node)
                else:
                    names[node.name] = ("function", [node])
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names[node.target.id] = ("value", node.annotation, self)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        if isinstance(node.value, ast.Name):
                            names[target.id] = ("alias", node.value.id)
                        else:
                            names[target.id] = ("value", None, self)
            elif isinstance(node, ast.If):  # sys.version_info branches: take both
                self._collect(node.body, names)
                self._collect(node.orelse, names)


def _decorator_name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return _decorator_name(node.value) + "." + node.attr
    if isinstance(node, ast.Call):
        return _decorator_name(node.func)
    return ""


def class_members(classdef, module):
    """``{name: entry}`` of a stub class body (methods, properties, constants, nested classes)."""
    names = {}
    sub = _ClassScope(module)
    sub._collect(classdef.body, names)
    return names


class _ClassScope(StubModule):
    def __init__(self, module):
        self.dotted = module.dotted
        self.path = module.path
        self.is_package = module.is_package


class Stubs(object):
    """Look names up in the stubs, following re-exports."""

    def __init__(self, root):
        self.root = root
        self._modules = {}

    def module(self, dotted):
        """The :class:`StubModule` for a dotted module name, or None."""
        if dotted in self._modules:
            return self._modules[dotted]
        parts = dotted.split(".")
        base = os.path.join(self.root, parts[0] + "-stubs", *parts[1:])
        found = None
        if os.path.isfile(os.path.join(base, "__init__.pyi")):
            found = StubModule(dotted, os.path.join(base, "__init__.pyi"), True)
        elif os.path.isfile(base + ".pyi"):
            found = StubModule(dotted, base + ".pyi", False)
        self._modules[dotted] = found
        return found

    def lookup(self, dotted_module, name, _seen=None):
        """The entry ``name`` of a module (re-exports followed), or None."""
        seen = _seen if _seen is not None else set()
        key = (dotted_module, name)
        if key in seen:
            return None
        seen.add(key)
        module = self.module(dotted_module)
        if module is None:
            return None
        entry = module.names.get(name)
        if entry is None:
            if module.is_package and self.module(dotted_module + "." + name) is not None:
                return ("module", dotted_module + "." + name)
            return None
        return self._follow(module, entry, seen)

    def _follow(self, module, entry, seen):
        kind = entry[0]
        if kind == "module":
            return entry if self.module(entry[1]) is not None else ("module", entry[1])
        if kind == "from":
            _kind, source, attr = entry
            if self.module(source + "." + attr) is not None and source + "." + attr != module.dotted:
                found = self.lookup(source, attr, seen)
                if found is None or found[0] == "module":
                    return ("module", source + "." + attr)
                return found
            return self.lookup(source, attr, seen)
        if kind == "alias":
            target = module.names.get(entry[1])
            return self._follow(module, target, seen) if target is not None else None
        return entry

    def resolve(self, dotted):
        """Resolve ``Katana.FarmAPI.GetSortedDependencies``-style paths through modules and classes."""
        parts = dotted.split(".")
        current = ("module", parts[0])
        if self.module(parts[0]) is None:
            return None
        for part in parts[1:]:
            current = self.member(current, part)
            if current is None:
                return None
        return current

    def member(self, entry, name):
        """Member ``name`` of a module, class or instance entry (class bases and instance types followed)."""
        if entry[0] == "module":
            return self.lookup(entry[1], name)
        if entry[0] == "class":
            return self.class_member(entry, name)
        if entry[0] == "value" and entry[1] is not None:
            cls = self.annotation_class(entry)
            return self.class_member(cls, name) if cls is not None else None
        return None

    def annotation_class(self, value_entry):
        """The class entry a ``value`` entry's annotation names, or None."""
        _kind, annotation, module = value_entry
        return self._expr(module, annotation)

    def _expr(self, module, node):
        if isinstance(node, ast.Name):
            entry = module.names.get(node.id)
            if entry is None:
                return None
            entry = self._follow(module, entry, set())
            return entry if entry and entry[0] == "class" else None
        if isinstance(node, ast.Attribute):
            base = node.value
            if isinstance(base, ast.Name):
                owner = module.names.get(base.id)
                owner = self._follow(module, owner, set()) if owner else None
            else:
                owner = self._expr(module, base)
            if owner is None:
                return None
            found = self.member(owner, node.attr)
            return found if found and found[0] == "class" else None
        return None

    def bases(self, class_entry):
        """Resolved base class entries of a stub class (unresolvable ones left out)."""
        _kind, classdef, module = class_entry
        result = []
        for base in classdef.bases:
            found = self._expr(module, base)
            if found is not None:
                result.append(found)
        return result

    def class_member(self, class_entry, name, _depth=0):
        """A class's member, looked up through its stub bases."""
        if _depth > 20:
            return None
        _kind, classdef, module = class_entry
        members = class_members(classdef, module)
        if name in members:
            entry = members[name]
            if entry[0] in ("from", "module", "alias"):
                return self._follow(module, entry, set())
            return entry
        for base in self.bases(class_entry):
            found = self.class_member(base, name, _depth + 1)
            if found is not None:
                return found
        return None

    def all_class_members(self, class_entry):
        """``{name: entry}`` of a class with its bases' members (nearest wins)."""
        merged = {}
        for base in reversed(self.bases(class_entry)):
            merged.update(self.all_class_members(base))
        _kind, classdef, module = class_entry
        merged.update(class_members(classdef, module))
        return merged


# -- signatures ----------------------------------------------------------------

class Params(object):
    """A parameter list reduced to what the conformance test compares."""

    def __init__(self, positional, varargs, kwonly, varkw):
        self.positional = positional  # [(name, has_default)]
        self.varargs = varargs
        self.kwonly = kwonly  # [(name, has_default)]
        self.varkw = varkw

    def generic(self):
        return not self.positional and not self.kwonly and self.varargs and self.varkw

    def __repr__(self):
        parts = ["{}{}".format(n, "=" if d else "") for n, d in self.positional]
        if self.varargs:
            parts.append("*args")
        elif self.kwonly:
            parts.append("*")
        parts += ["{}{}".format(n, "=" if d else "") for n, d in self.kwonly]
        if self.varkw:
            parts.append("**kwargs")
        return "(" + ", ".join(parts) + ")"

    def __eq__(self, other):
        return (self.positional, self.varargs, self.kwonly, self.varkw) == (
            other.positional, other.varargs, other.kwonly, other.varkw)

    def __ne__(self, other):
        return not self == other


def stub_params(funcdef, method):
    """:class:`Params` of a stub ``FunctionDef`` (``self``/``cls`` dropped for methods)."""
    args = funcdef.args
    positional = list(getattr(args, "posonlyargs", [])) + list(args.args)
    defaults = [False] * (len(positional) - len(args.defaults)) + [True] * len(args.defaults)
    pairs = [(a.arg, d) for a, d in zip(positional, defaults)]
    decorators = {_decorator_name(d) for d in funcdef.decorator_list}
    if method and "staticmethod" not in decorators and pairs:
        pairs = pairs[1:]
    kwonly = [(a.arg, d is not None) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    return Params(pairs, args.vararg is not None, kwonly, args.kwarg is not None)


def runtime_params(function, method):
    """:class:`Params` of a stand-in function (``self``/``cls`` dropped for methods)."""
    import inspect

    is_static = isinstance(function, staticmethod)
    target = function.__func__ if isinstance(function, (staticmethod, classmethod)) else function
    signature = inspect.signature(target)
    positional, kwonly = [], []
    varargs = varkw = False
    for param in signature.parameters.values():
        has_default = param.default is not inspect.Parameter.empty
        if param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            positional.append((param.name, has_default))
        elif param.kind == param.VAR_POSITIONAL:
            varargs = True
        elif param.kind == param.KEYWORD_ONLY:
            kwonly.append((param.name, has_default))
        else:
            varkw = True
    if method and not is_static and positional:
        positional = positional[1:]
    return Params(positional, varargs, kwonly, varkw)


# -- comparing the stand-in ------------------------------------------------------

_BUILTIN_TYPES = {"str": str, "int": int, "float": (int, float), "bool": bool, "dict": dict,
                  "list": list, "tuple": tuple}


class Survey(object):
    """What comparing the stand-in with the stubs found.

    Attributes:
        mismatches: ``(path, message)`` where the stand-in contradicts the stubs.
        guesses: dotted paths the stand-in defines and the stubs do not.
        checked: dotted paths compared (present in both).
    """

    def __init__(self):
        self.mismatches = []
        self.guesses = set()
        self.checked = []


def _defined_in(obj, folder):
    import inspect

    try:
        path = inspect.getfile(obj)
    except TypeError:
        return False
    return os.path.abspath(path).startswith(folder + os.sep)


def _is_public_module(module, standin_dir):
    path = getattr(module, "__file__", None) or ""
    path = os.path.abspath(path)
    return path.startswith(standin_dir + os.sep) and "_katana_standin" not in path.split(os.sep)


def _annotation_check(annotation, value):
    """None when ``value`` fits the stub annotation, else a message."""
    if annotation is None:
        return None
    if isinstance(annotation, ast.Subscript) and _decorator_name(annotation.value) in ("ClassVar", "typing.ClassVar"):
        annotation = annotation.slice
        if isinstance(annotation, ast.Index):  # Python < 3.9
            annotation = annotation.value  # type: ignore[attr-defined]
    if isinstance(annotation, ast.Name):
        expected = _BUILTIN_TYPES.get(annotation.id)
        if expected is not None:
            if isinstance(value, bool) and annotation.id != "bool":
                return "is a bool; the stubs say {}".format(annotation.id)
            return None if isinstance(value, expected) else "is {}; the stubs say {}".format(
                type(value).__name__, annotation.id)
        if annotation.id in ("Incomplete", "Any", "object"):
            return None
        if type(value).__name__ != annotation.id:
            return "is {}; the stubs say an instance of {}".format(type(value).__name__, annotation.id)
    return None


def survey(stubs, standin_dir, module_names, top="Katana"):
    """Compare the stand-in modules ``module_names`` (as ``Katana.<name>``) with the stubs."""
    import importlib
    import inspect

    standin_dir = os.path.abspath(standin_dir)
    result = Survey()
    katana = importlib.import_module(top)

    def function(obj, path, entry, method):
        if entry[0] == "property":
            result.mismatches.append((path, "is a method; in Katana it is a property"))
            return
        if entry[0] != "function":  # a class, a constant, a module: a different kind of thing
            result.mismatches.append((path, "is a function; in Katana it is a {}".format(entry[0])))
            return
        mine = runtime_params(obj, method)
        theirs = [stub_params(f, method) for f in entry[1]]
        if any(t.generic() for t in theirs):  # pybind11 overloads: (*args, **kwargs)
            return
        if not any(mine == t for t in theirs):
            result.mismatches.append((path, "takes {}; Katana's takes {}".format(
                mine, " or ".join(repr(t) for t in theirs))))

    def value(obj, path, entry):
        if entry[0] in ("function", "class"):
            result.mismatches.append((path, "is a {}; in Katana it is a {}".format(type(obj).__name__, entry[0])))
            return
        if entry[0] == "value":
            problem = _annotation_check(entry[1], obj)
            if problem:
                result.mismatches.append((path, problem))

    def klass(cls, path, entry):
        if entry[0] != "class":
            if entry[0] == "value" and stubs.annotation_class(entry) is not None:
                entry = stubs.annotation_class(entry)
            else:
                result.mismatches.append((path, "is a class; in Katana it is a {}".format(entry[0])))
                return
        names = []
        for base in cls.__mro__:
            if base is object or not _defined_in(base, standin_dir):
                continue
            for name in vars(base):
                if name not in names and (not name.startswith("_") or name == "__init__"):
                    names.append(name)
        stub_members = stubs.all_class_members(entry)
        _kind, classdef, module = entry
        own = class_members(classdef, module)
        if own and all(e[0] == "value" for e in own.values()):  # an enum-like class
            for name in sorted(own):
                if name not in names and not name.startswith("_"):
                    result.mismatches.append((path + "." + name, "is missing (Katana defines it)"))
        for name in names:
            raw = None
            for base in cls.__mro__:
                if name in vars(base):
                    raw = vars(base)[name]
                    break
            sub_path = path + "." + name
            if name == "__init__":
                stub_init = stub_members.get("__init__")
                if stub_init is not None and stub_init[0] == "function" and not all(
                        stub_params(f, True).generic() for f in stub_init[1]):
                    result.checked.append(sub_path)
                    function(raw, sub_path, stub_init, True)
                continue
            found = stubs.class_member(entry, name)
            if found is None:
                if name in vars(cls):  # reported once, on the class that defines it
                    result.guesses.add(sub_path)
                continue
            result.checked.append(sub_path)
            if inspect.isclass(raw):
                klass(raw, sub_path, found)
            elif isinstance(raw, (staticmethod, classmethod)) or inspect.isfunction(raw):
                function(raw, sub_path, found, True)
            elif isinstance(raw, property):
                if found[0] == "function":
                    result.mismatches.append((sub_path, "is a property; in Katana it is a method"))
            else:
                value(raw, sub_path, found)

    def module(mod, path, entry):
        for name in sorted(vars(mod)):
            if name.startswith("_"):
                continue
            obj = getattr(mod, name)
            sub_path = path + "." + name
            if inspect.ismodule(obj):
                if not _is_public_module(obj, standin_dir):
                    continue
                walk(obj, sub_path, stubs.member(entry, name))
                continue
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and not _defined_in(obj, standin_dir):
                continue
            walk(obj, sub_path, stubs.member(entry, name))

    def walk(obj, path, entry):
        if entry is None:
            result.guesses.add(path)
            return
        result.checked.append(path)
        if inspect.ismodule(obj):
            if entry[0] != "module":
                if entry[0] == "value" and stubs.annotation_class(entry) is not None:
                    module_as_instance(obj, path, stubs.annotation_class(entry))
                    return
                result.mismatches.append((path, "is a module; in Katana it is a {}".format(entry[0])))
                return
            module(obj, path, entry)
        elif inspect.isclass(obj):
            klass(obj, path, entry)
        elif inspect.isfunction(obj):
            function(obj, path, entry, False)
        elif _defined_in(type(obj), standin_dir) and entry[0] == "value" and stubs.annotation_class(entry):
            klass(type(obj), path, stubs.annotation_class(entry))
        else:
            value(obj, path, entry)

    def module_as_instance(mod, path, class_entry):
        result.mismatches.append((path, "is a module; in Katana it is an instance of {}".format(class_entry[1].name)))

    for name in module_names:
        obj = getattr(katana, name)
        entry = stubs.resolve(top + "." + name)
        if entry is None and stubs.module(name) is not None:
            # Katana-stubs lists the modules of a UI-less session; UI4 is a
            # top-level module there and Katana adds it in UI mode.
            entry = ("module", name)
        walk(obj, name, entry)
    return result
