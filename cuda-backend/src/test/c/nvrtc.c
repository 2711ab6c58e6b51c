/*
 * libnvrtc.so.12 — NVRTC emulated with g++.
 *
 * nvrtcCompileProgram writes the CUDA C source into a fresh temporary folder ($TMPDIR), adds a
 * file that includes it and appends one launcher per __global__ function (GAN4J_EMULATED_LAUNCHER
 * in kernel.h), and builds a shared object with
 *     g++ -std=c++17 -O2 -shared -fPIC -include kernel.h -o module.so module.cpp
 * (GAN4J_EMULATED_CXX overrides g++). g++'s messages become the program log and a failed build
 * is NVRTC_ERROR_COMPILATION, as on a GPU. The "PTX" (and, for --gpu-architecture=sm_XY, the
 * "CUBIN") is a short text naming that shared object, which the emulated cuModuleLoadData loads.
 * The folders are removed when the process exits.
 */
#define _GNU_SOURCE
#include "emu.h"

#include <ctype.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int nvrtcResult;
enum {
    NVRTC_SUCCESS = 0,
    NVRTC_ERROR_OUT_OF_MEMORY = 1,
    NVRTC_ERROR_PROGRAM_CREATION_FAILURE = 2,
    NVRTC_ERROR_INVALID_INPUT = 3,
    NVRTC_ERROR_INVALID_PROGRAM = 4,
    NVRTC_ERROR_INVALID_OPTION = 5,
    NVRTC_ERROR_COMPILATION = 6,
    NVRTC_ERROR_INTERNAL_ERROR = 11,
};

#define EMU_MODULE_MAGIC "//gan4j-emulated-module\n"   /* must match cuda.c */

typedef struct program {
    char *source, *name;
    int header_count;
    char **headers, **include_names;
    char *log;          /* g++ output plus our own notes; "" before compilation */
    char *image;        /* NULL until compiled */
    int cubin;          /* compiled for a real architecture (sm_XY) rather than a virtual one */
} program;

static char *dup_or_empty(const char *s) { return strdup(s ? s : ""); }

/* ---------------------------------------------------------------- errors and versions */

EMU_API const char *nvrtcGetErrorString(nvrtcResult r)
{
    static const char *const names[] = {
        "NVRTC_SUCCESS", "NVRTC_ERROR_OUT_OF_MEMORY", "NVRTC_ERROR_PROGRAM_CREATION_FAILURE",
        "NVRTC_ERROR_INVALID_INPUT", "NVRTC_ERROR_INVALID_PROGRAM", "NVRTC_ERROR_INVALID_OPTION",
        "NVRTC_ERROR_COMPILATION", "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE",
        "NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION",
        "NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION", "NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID",
        "NVRTC_ERROR_INTERNAL_ERROR", "NVRTC_ERROR_TIME_FILE_WRITE_FAILED",
    };
    return r >= 0 && r < (int)(sizeof names / sizeof *names) ? names[r] : "NVRTC_ERROR unknown";
}

EMU_API nvrtcResult nvrtcVersion(int *major, int *minor)
{
    if (!major || !minor) return NVRTC_ERROR_INVALID_INPUT;
    *major = 12;
    *minor = 6;
    return NVRTC_SUCCESS;
}

static const int archs[] = {50, 52, 53, 60, 61, 62, 70, 72, 75, 80, 86, 87, 89, 90};

EMU_API nvrtcResult nvrtcGetNumSupportedArchs(int *n)
{
    if (!n) return NVRTC_ERROR_INVALID_INPUT;
    *n = (int)(sizeof archs / sizeof *archs);
    return NVRTC_SUCCESS;
}

EMU_API nvrtcResult nvrtcGetSupportedArchs(int *out)
{
    if (!out) return NVRTC_ERROR_INVALID_INPUT;
    memcpy(out, archs, sizeof archs);
    return NVRTC_SUCCESS;
}

/* ---------------------------------------------------------------- programs */

EMU_API nvrtcResult nvrtcCreateProgram(program **prog, const char *src, const char *name,
                                       int header_count, const char *const *headers,
                                       const char *const *include_names)
{
    if (!prog || !src || header_count < 0) return NVRTC_ERROR_INVALID_INPUT;
    if (header_count > 0 && (!headers || !include_names)) return NVRTC_ERROR_INVALID_INPUT;
    program *p = calloc(1, sizeof *p);
    p->source = strdup(src);
    p->name = strdup(name && *name ? name : "default_program");
    p->header_count = header_count;
    p->headers = calloc((size_t)header_count + 1, sizeof *p->headers);
    p->include_names = calloc((size_t)header_count + 1, sizeof *p->include_names);
    for (int i = 0; i < header_count; i++) {
        p->headers[i] = dup_or_empty(headers[i]);
        p->include_names[i] = dup_or_empty(include_names[i]);
    }
    p->log = strdup("");
    *prog = p;
    return NVRTC_SUCCESS;
}

EMU_API nvrtcResult nvrtcDestroyProgram(program **prog)
{
    if (!prog || !*prog) return NVRTC_ERROR_INVALID_PROGRAM;
    program *p = *prog;
    for (int i = 0; i < p->header_count; i++) {
        free(p->headers[i]);
        free(p->include_names[i]);
    }
    free(p->headers);
    free(p->include_names);
    free(p->source);
    free(p->name);
    free(p->log);
    free(p->image);
    free(p);
    *prog = NULL;
    return NVRTC_SUCCESS;
}

/* ---------------------------------------------------------------- temporary folders */

static pthread_mutex_t folders_lock = PTHREAD_MUTEX_INITIALIZER;
static char **folders;
static int folder_count;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static void remove_folders(void)
{
    for (int i = 0; i < folder_count; i++)
        nftw(folders[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *make_folder(void)
{
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/gan4j-nvrtc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(path)) return NULL;
    pthread_mutex_lock(&folders_lock);
    if (folder_count == 0) atexit(remove_folders);
    folders = realloc(folders, (size_t)(folder_count + 1) * sizeof *folders);
    folders[folder_count++] = strdup(path);
    pthread_mutex_unlock(&folders_lock);
    return strdup(path);
}

/* Writes text to folder/name, creating subfolders of name ("a/b.h"). */
static int write_file(const char *folder, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    for (char *slash = strchr(path + strlen(folder) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = 0;
        mkdir(path, 0700);
        *slash = '/';
    }
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return strdup("");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc((size_t)n + 1, 1);
    if (fread(s, 1, (size_t)n, f) != (size_t)n) s[0] = 0;
    fclose(f);
    return s;
}

/* ---------------------------------------------------------------- finding the kernels */

/* A copy of the source with comments, string and character literals blanked out. */
static char *code_only(const char *s)
{
    char *c = strdup(s);
    for (char *p = c; *p; p++) {
        if (p[0] == '/' && p[1] == '/') {
            while (*p && *p != '\n') *p++ = ' ';
            if (!*p) break;
        } else if (p[0] == '/' && p[1] == '*') {
            *p++ = ' ';
            *p = ' ';
            while (p[1] && !(p[1] == '*' && p[2] == '/')) { p++; if (*p != '\n') *p = ' '; }
            if (!p[1]) break;
            p[1] = p[2] = ' ';
            p += 2;
        } else if (*p == '"' || *p == '\'') {
            char quote = *p;
            while (p[1] && p[1] != quote) { p++; if (*p == '\\' && p[1]) *p++ = ' '; *p = ' '; }
            if (!p[1]) break;
            p++;
        }
    }
    return c;
}

static int is_ident(char ch) { return isalnum((unsigned char)ch) || ch == '_'; }

/* The name of every __global__ function: the identifier just before the first '(' after
 * __global__, skipping a __launch_bounds__(...) on the way. Each name once. */
static int kernel_names(const char *src, char ***out)
{
    char *code = code_only(src);
    char **names = NULL;
    int n = 0;
    for (char *p = strstr(code, "__global__"); p; p = strstr(p, "__global__")) {
        int whole = (p == code || !is_ident(p[-1])) && !is_ident(p[10]);
        p += 10;
        if (!whole) continue;
        char *last = NULL, *q = p;
        size_t len = 0;
        while (*q && *q != '(' && *q != ';' && *q != '{') {
            if (is_ident(*q)) {
                char *start = q;
                while (is_ident(*q)) q++;
                if ((size_t)(q - start) == 17 && strncmp(start, "__launch_bounds__", 17) == 0) {
                    while (*q && *q != '(') q++;
                    for (int depth = 0; *q; q++) {
                        if (*q == '(') depth++;
                        if (*q == ')' && --depth == 0) { q++; break; }
                    }
                } else {
                    last = start;
                    len = (size_t)(q - start);
                }
            } else {
                q++;
            }
        }
        if (*q != '(' || !last) continue;
        char *name = strndup(last, len);
        int seen = 0;
        for (int i = 0; i < n; i++) seen |= strcmp(names[i], name) == 0;
        if (seen) { free(name); continue; }
        names = realloc(names, (size_t)(n + 1) * sizeof *names);
        names[n++] = name;
    }
    free(code);
    *out = names;
    return n;
}

/* ---------------------------------------------------------------- compiling */

static void append(char **s, const char *more)
{
    size_t a = strlen(*s), b = strlen(more);
    *s = realloc(*s, a + b + 1);
    memcpy(*s + a, more, b + 1);
}

static const char *option_value(const char *opt, const char *const *long_names)
{
    for (const char *const *l = long_names; *l; l++) {
        size_t n = strlen(*l);
        if (strncmp(opt, *l, n) == 0 && opt[n] == '=') return opt + n + 1;
    }
    return NULL;
}

/* The kernel header sits next to this library in the build's output folder. */
static char *kernel_header(void)
{
    Dl_info info;
    if (!dladdr((void *)kernel_header, &info) || !info.dli_fname) return NULL;
    char *lib = strdup(info.dli_fname);
    char path[4096];
    snprintf(path, sizeof path, "%s/kernel.h", dirname(lib));
    free(lib);
    return access(path, R_OK) == 0 ? strdup(path) : NULL;
}

EMU_API nvrtcResult nvrtcCompileProgram(program *p, int option_count, const char *const *options)
{
    static const char *const arch_names[] = {"--gpu-architecture", "-arch", NULL};
    static const char *const define_names[] = {"--define-macro", NULL};
    static const char *const undefine_names[] = {"--undefine-macro", NULL};
    static const char *const include_names[] = {"--include-path", NULL};

    if (!p) return NVRTC_ERROR_INVALID_PROGRAM;
    if (option_count < 0 || (option_count > 0 && !options)) return NVRTC_ERROR_INVALID_INPUT;

    char *header = kernel_header();
    char *folder = make_folder();
    if (!header || !folder) {
        free(header);
        free(folder);
        return NVRTC_ERROR_INTERNAL_ERROR;
    }
    free(p->log);
    p->log = strdup("");
    free(p->image);
    p->image = NULL;
    p->cubin = 0;

    const char *cxx = getenv("GAN4J_EMULATED_CXX");
    const char *argv[64 + 2 * 64];
    int argc = 0;
    argv[argc++] = cxx && *cxx ? cxx : "g++";
    argv[argc++] = "-std=c++17";
    argv[argc++] = "-O2";
    argv[argc++] = "-shared";
    argv[argc++] = "-fPIC";
    argv[argc++] = "-fvisibility=hidden";
    argv[argc++] = "-include";
    argv[argc++] = header;

    /* Macros and include paths reach g++; code-generation options mean nothing on a CPU. */
    char *copies[64];
    int copy_count = 0;
    for (int i = 0; i < option_count && i < 64; i++) {
        const char *o = options[i], *v;
        if (!o) return NVRTC_ERROR_INVALID_OPTION;
        if ((v = option_value(o, arch_names))) {
            p->cubin = strncmp(v, "sm_", 3) == 0;
        } else if (strncmp(o, "-D", 2) == 0 || strncmp(o, "-U", 2) == 0 || strncmp(o, "-I", 2) == 0) {
            argv[argc++] = o;
        } else if ((v = option_value(o, define_names)) || (v = option_value(o, undefine_names))
                   || (v = option_value(o, include_names))) {
            char *c = malloc(strlen(v) + 3);
            sprintf(c, "-%c%s", o[2] == 'd' ? 'D' : o[2] == 'u' ? 'U' : 'I', v);
            argv[argc++] = copies[copy_count++] = c;
        } else if (o[0] != '-') {
            append(&p->log, "nvrtc: error: invalid option: ");
            append(&p->log, o);
            append(&p->log, "\n");
            for (int c = 0; c < copy_count; c++) free(copies[c]);
            free(header);
            free(folder);
            return NVRTC_ERROR_INVALID_OPTION;
        }
    }
    argv[argc++] = "-o";
    argv[argc++] = "module.so";
    argv[argc++] = "module.cpp";
    argv[argc] = NULL;

    /* The source keeps its own name so the log's line numbers are the source's. */
    char *base = strdup(p->name), *slash = strrchr(base, '/');
    const char *source_name = slash ? slash + 1 : base;
    char **kernels;
    int kernel_count = kernel_names(p->source, &kernels);
    char *module = strdup("#include \"");
    append(&module, source_name);
    append(&module, "\"\n");
    for (int k = 0; k < kernel_count; k++) {
        append(&module, "GAN4J_EMULATED_LAUNCHER(");
        append(&module, kernels[k]);
        append(&module, ")\n");
        free(kernels[k]);
    }
    free(kernels);

    int failed = write_file(folder, source_name, p->source) != 0
                 || write_file(folder, "module.cpp", module) != 0;
    for (int i = 0; i < p->header_count; i++)
        failed |= write_file(folder, p->include_names[i], p->headers[i]) != 0;
    free(module);

    nvrtcResult result = NVRTC_ERROR_INTERNAL_ERROR;
    if (!failed) {
        pid_t child = fork();
        if (child == 0) {
            if (chdir(folder) != 0) _exit(127);
            int log = open("log.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
            dup2(log, 1);
            dup2(log, 2);
            execvp(argv[0], (char *const *)argv);
            fprintf(stderr, "gan4j emulated NVRTC: cannot run %s\n", argv[0]);
            _exit(127);
        }
        int status = 0;
        if (child > 0 && waitpid(child, &status, 0) == child) {
            char path[4096];
            snprintf(path, sizeof path, "%s/log.txt", folder);
            char *log = read_file(path);
            append(&p->log, log);
            free(log);
            if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
                snprintf(path, sizeof path, "%s%s/module.so\n", EMU_MODULE_MAGIC, folder);
                p->image = strdup(path);
                result = NVRTC_SUCCESS;
            } else {
                result = WIFEXITED(status) && WEXITSTATUS(status) == 127 ? NVRTC_ERROR_INTERNAL_ERROR
                                                                         : NVRTC_ERROR_COMPILATION;
            }
        }
    }
    for (int c = 0; c < copy_count; c++) free(copies[c]);
    free(base);
    free(header);
    free(folder);
    return result;
}

/* ---------------------------------------------------------------- results */

EMU_API nvrtcResult nvrtcGetProgramLogSize(program *p, size_t *size)
{
    if (!p) return NVRTC_ERROR_INVALID_PROGRAM;
    if (!size) return NVRTC_ERROR_INVALID_INPUT;
    *size = strlen(p->log) + 1;
    return NVRTC_SUCCESS;
}

EMU_API nvrtcResult nvrtcGetProgramLog(program *p, char *log)
{
    if (!p) return NVRTC_ERROR_INVALID_PROGRAM;
    if (!log) return NVRTC_ERROR_INVALID_INPUT;
    strcpy(log, p->log);
    return NVRTC_SUCCESS;
}

EMU_API nvrtcResult nvrtcGetPTXSize(program *p, size_t *size)
{
    if (!p || !p->image) return NVRTC_ERROR_INVALID_PROGRAM;
    if (!size) return NVRTC_ERROR_INVALID_INPUT;
    *size = strlen(p->image) + 1;
    return NVRTC_SUCCESS;
}

EMU_API nvrtcResult nvrtcGetPTX(program *p, char *ptx)
{
    if (!p || !p->image) return NVRTC_ERROR_INVALID_PROGRAM;
    if (!ptx) return NVRTC_ERROR_INVALID_INPUT;
    strcpy(ptx, p->image);
    return NVRTC_SUCCESS;
}

/* Like NVRTC: a CUBIN exists only when compiling for a real architecture (sm_XY); otherwise its
 * size is 0. */
EMU_API nvrtcResult nvrtcGetCUBINSize(program *p, size_t *size)
{
    if (!p || !p->image) return NVRTC_ERROR_INVALID_PROGRAM;
    if (!size) return NVRTC_ERROR_INVALID_INPUT;
    *size = p->cubin ? strlen(p->image) + 1 : 0;
    return NVRTC_SUCCESS;
}

EMU_API nvrtcResult nvrtcGetCUBIN(program *p, char *cubin)
{
    if (!p || !p->image) return NVRTC_ERROR_INVALID_PROGRAM;
    if (!cubin) return NVRTC_ERROR_INVALID_INPUT;
    if (p->cubin) strcpy(cubin, p->image);
    return NVRTC_SUCCESS;
}
